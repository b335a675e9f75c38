package dev.skiff.http.internal;

import dev.skiff.http.Handler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The application's routes: method and path template ({@code /notes/{id}}) to handler, with the
 * filters that run before and after every route.
 */
public final class Routes {

    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    /** A route found for a request. */
    public record Match(Handler handler, String template, Map<String, String> params) {}

    private record Route(String template, String[] segments, Map<String, Handler> byMethod) {}

    private final Map<String, Route> exact = new HashMap<>();
    private final List<Route> templated = new ArrayList<>();
    private final Map<String, Route> byTemplate = new LinkedHashMap<>();
    private final List<Handler> before = new ArrayList<>();
    private final List<Handler> after = new ArrayList<>();

    /** Adds a route; a second handler for the same method and template is a programming error. */
    public void add(String method, String template, Handler handler) {
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with '/', got \"" + template + "\"");
        }
        if (template.startsWith("/health/") || template.equals("/metrics") || template.equals("/info")) {
            throw new IllegalArgumentException("the path \"" + template + "\" is one of Skiff's management endpoints");
        }
        String[] segments = segments(template);
        for (String segment : segments) {
            if (segment.contains("{") && !PARAM.matcher(segment).matches()) {
                throw new IllegalArgumentException("a path parameter is a whole segment such as {id}, got \""
                        + segment + "\" in " + template);
            }
        }
        String upper = method.toUpperCase(Locale.ROOT);
        Route route = byTemplate.computeIfAbsent(template, t -> {
            var created = new Route(t, segments, new LinkedHashMap<>());
            if (t.contains("{")) {
                templated.add(created);
            } else {
                exact.put(t, created);
            }
            return created;
        });
        if (route.byMethod().putIfAbsent(upper, handler) != null) {
            throw new IllegalArgumentException("a route for " + upper + " " + template + " is already registered");
        }
    }

    /** Adds a filter that runs before every route's handler; throwing ends the request. */
    public void before(Handler filter) {
        before.add(filter);
    }

    /** Adds a filter that runs after every route's handler, even when it threw. */
    public void after(Handler filter) {
        after.add(filter);
    }

    /** {@return the filters that run before handlers} */
    public List<Handler> beforeFilters() {
        return before;
    }

    /** {@return the filters that run after handlers} */
    public List<Handler> afterFilters() {
        return after;
    }

    /** {@return the route for a method and path, or null; HEAD falls back to GET} */
    public Match find(String method, String path) {
        Route route = exact.get(path);
        Map<String, String> params = Map.of();
        if (route == null) {
            String[] parts = segments(path);
            for (Route candidate : templated) {
                Map<String, String> found = match(candidate, parts);
                if (found != null && (route == null || literals(candidate) > literals(route))) {
                    route = candidate;
                    params = found;
                }
            }
        }
        if (route == null) {
            return null;
        }
        Handler handler = route.byMethod().get(method);
        if (handler == null && method.equals("HEAD")) {
            handler = route.byMethod().get("GET");
        }
        return handler == null ? new Match(null, route.template(), params) : new Match(handler, route.template(), params);
    }

    /** {@return the methods the route of a template answers, HEAD included where GET is} */
    public Set<String> methods(String template) {
        Route route = byTemplate.get(template);
        var methods = new TreeSet<String>(route == null ? Set.of() : route.byMethod().keySet());
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        return methods;
    }

    private static Map<String, String> match(Route route, String[] parts) {
        if (route.segments().length != parts.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < parts.length; i++) {
            String segment = route.segments()[i];
            if (segment.startsWith("{")) {
                if (parts[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(segment.substring(1, segment.length() - 1), parts[i]);
            } else if (!segment.equals(parts[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }

    private static int literals(Route route) {
        int n = 0;
        for (String segment : route.segments()) {
            if (!segment.startsWith("{")) {
                n++;
            }
        }
        return n;
    }

    private static String[] segments(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.equals("/") ? new String[0] : trimmed.substring(1).split("/", -1);
    }
}
