package dev.skiff.http.internal;

import dev.skiff.http.Handler;
import dev.skiff.http.HttpException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The application's routes: method and path template ({@code /notes/{id}}, or a tail route
 * {@code /files/*}) to handler, each with the filters and exception mappings of the scope it was
 * added in (the application's, or a group's and its parents'), and the application's JSON mapper.
 * Filled while the application is set up, frozen when setup returns (or when a server is created
 * from it), then only read.
 */
public final class RouteTable {

    private static final Pattern PARAM = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");
    /** The last segment of a tail route, and the name its rest is read by. */
    public static final String TAIL = "*";

    /**
     * A route found for a request, with the filters that run around its handler.
     *
     * @param mayBlock whether the handler or one of its filters may block: false only when every
     *     one of them was made with {@link Handler#nonBlocking}
     */
    public record Match(Handler handler, String template, Map<String, String> params, List<Handler> before,
                        List<Handler> after, boolean mayBlock, Exceptions exceptions) {}

    /** An application's answer to one type of exception, added in a scope. */
    private record ExceptionMapping(Class<? extends Throwable> type, Function<Throwable, HttpException> mapper) {}

    /**
     * The exception mappings around a route, innermost scope first: the first scope with a mapping
     * for a failure answers it, with its mapping of the closest type.
     */
    public static final class Exceptions {
        static final Exceptions NONE = new Exceptions(List.of());
        private final List<List<ExceptionMapping>> scopes;

        private Exceptions(List<List<ExceptionMapping>> scopes) {
            this.scopes = scopes;
        }

        /**
         * Finds the mapping for a failure. An {@link HttpException} is an answer already: only a
         * mapping of its own type, or a subtype, takes it. A mapping of {@code Throwable},
         * {@code Exception} or {@code RuntimeException} is a catch-all, asked only after the modules.
         *
         * @param catchAll whether to look among the catch-alls, or among the others
         * @return the mapping's function, or null when no mapping takes the failure
         */
        public Function<Throwable, HttpException> find(Throwable failure, boolean catchAll) {
            boolean answer = failure instanceof HttpException;
            for (List<ExceptionMapping> scope : scopes) {
                ExceptionMapping best = null;
                int bestDistance = Integer.MAX_VALUE;
                for (ExceptionMapping mapping : scope) {
                    if ((answer && !HttpException.class.isAssignableFrom(mapping.type()))
                            || isCatchAll(mapping.type()) != catchAll) {
                        continue;
                    }
                    int distance = distance(failure.getClass(), mapping.type());
                    if (distance < bestDistance) {
                        best = mapping;
                        bestDistance = distance;
                    }
                }
                if (best != null) {
                    return best.mapper();
                }
            }
            return null;
        }

        private static boolean isCatchAll(Class<?> type) {
            return type == Throwable.class || type == Exception.class || type == RuntimeException.class;
        }

        private static int distance(Class<?> type, Class<?> mapped) {
            int distance = 0;
            for (Class<?> c = type; c != null; c = c.getSuperclass(), distance++) {
                if (c == mapped) {
                    return distance;
                }
            }
            return Integer.MAX_VALUE;
        }
    }

    /**
     * The filters of the application or of one group. A group's before filters run after its
     * parent's; its after filters run before its parent's, so each scope wraps what it contains.
     */
    public static final class Scope {
        private final Scope parent;
        private final List<Handler> before = new ArrayList<>();
        private final List<Handler> after = new ArrayList<>();
        private final List<ExceptionMapping> exceptions = new ArrayList<>();

        private Scope(Scope parent) {
            this.parent = parent;
        }

        /** {@return a scope for a group inside this one} */
        public Scope child() {
            return new Scope(this);
        }

        /** Adds a filter that runs before the handlers of this scope's routes; throwing ends the request. */
        public void before(Handler filter) {
            before.add(filter);
        }

        /** Adds a filter that runs after the handlers of this scope's routes, even when they threw. */
        public void after(Handler filter) {
            after.add(filter);
        }

        /** Answers a type of exception thrown by this scope's routes and filters. */
        public <E extends Throwable> void exception(Class<E> type, Function<? super E, ? extends HttpException> mapper) {
            for (ExceptionMapping existing : exceptions) {
                if (existing.type() == type) {
                    throw new IllegalArgumentException("an exception mapping for " + type.getName()
                            + " is already added here");
                }
            }
            exceptions.add(new ExceptionMapping(type, failure -> mapper.apply(type.cast(failure))));
        }

        private List<List<ExceptionMapping>> allExceptions() {
            var all = new ArrayList<List<ExceptionMapping>>();
            for (Scope s = this; s != null; s = s.parent) {
                if (!s.exceptions.isEmpty()) {
                    all.add(List.copyOf(s.exceptions));
                }
            }
            return all;
        }

        private List<Handler> allBefore() {
            var all = new ArrayList<Handler>(parent == null ? List.of() : parent.allBefore());
            all.addAll(before);
            return all;
        }

        private List<Handler> allAfter() {
            var all = new ArrayList<Handler>(after);
            if (parent != null) {
                all.addAll(parent.allAfter());
            }
            return all;
        }
    }

    /**
     * A handler and its filters: those of its scope until frozen, then the flattened lists and
     * the match of a request without path parameters, made once.
     */
    private record Target(Handler handler, Scope scope, List<Handler> before, List<Handler> after, Match match) {}

    private record Route(String template, String[] segments, Map<String, Target> byMethod) {}

    private final Map<String, Route> exact = new HashMap<>();
    private final List<Route> templated = new ArrayList<>();
    private final Map<String, Route> byTemplate = new LinkedHashMap<>();
    private final Scope root = new Scope(null);
    private JsonCodec json = new JsonCodec();
    private volatile boolean frozen;

    /** {@return the application's JSON mapper} */
    public JsonCodec json() {
        return json;
    }

    /** Uses the application's JSON mapper, shared with its service clients. */
    public void json(JsonCodec codec) {
        this.json = java.util.Objects.requireNonNull(codec, "codec");
    }

    /** {@return the application's scope: its filters run around every route} */
    public Scope root() {
        return root;
    }

    /** Adds a route in the application's scope. */
    public void add(String method, String template, Handler handler) {
        add(method, template, handler, root);
    }

    /** Adds a route; a second handler for the same method and template is a programming error. */
    public void add(String method, String template, Handler handler, Scope scope) {
        if (frozen) {
            throw new IllegalStateException("routes are added while the application is set up, not after");
        }
        if (!template.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with '/', got \"" + template + "\"");
        }
        if (ManagementEndpoints.isManagement(template)) {
            throw new IllegalArgumentException("the path \"" + template + "\" is one of Skiff's management endpoints");
        }
        String[] segments = segments(template);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.contains("{") && !PARAM.matcher(segment).matches()) {
                throw new IllegalArgumentException("a path parameter is a whole segment such as {id}, got \""
                        + segment + "\" in " + template);
            }
            if (segment.contains(TAIL) && (!segment.equals(TAIL) || i != segments.length - 1)) {
                throw new IllegalArgumentException("a '*' is the whole last segment of a tail route, such as /files/*;"
                        + " got \"" + template + "\"");
            }
        }
        String upper = method.toUpperCase(Locale.ROOT);
        Route route = byTemplate.computeIfAbsent(template, t -> {
            var created = new Route(t, segments, new LinkedHashMap<>());
            if (t.contains("{") || t.endsWith("/" + TAIL)) {
                templated.add(created);
            } else {
                exact.put(t, created);
            }
            return created;
        });
        if (route.byMethod().putIfAbsent(upper, new Target(handler, scope, null, null, null)) != null) {
            throw new IllegalArgumentException("a route for " + upper + " " + template + " is already registered");
        }
    }

    /** Adds a filter that runs before every route's handler; throwing ends the request. */
    public void before(Handler filter) {
        root.before(filter);
    }

    /** Adds a filter that runs after every route's handler, even when it threw. */
    public void after(Handler filter) {
        root.after(filter);
    }

    /** Resolves every route's filters once; the table is read-only from here on. */
    public synchronized void freeze() {
        if (frozen) {
            return;
        }
        for (Route route : byTemplate.values()) {
            route.byMethod().replaceAll((method, target) -> {
                List<Handler> before = List.copyOf(target.scope().allBefore());
                List<Handler> after = List.copyOf(target.scope().allAfter());
                boolean mayBlock = target.handler().mayBlock() || before.stream().anyMatch(Handler::mayBlock)
                        || after.stream().anyMatch(Handler::mayBlock);
                var exceptions = target.scope().allExceptions();
                return new Target(target.handler(), null, before, after, new Match(target.handler(), route.template(),
                        Map.of(), before, after, mayBlock, exceptions.isEmpty() ? Exceptions.NONE
                                : new Exceptions(List.copyOf(exceptions))));
            });
        }
        frozen = true;
    }

    /** {@return the route for a method and path, or null; HEAD falls back to GET} */
    public Match find(String method, String path) {
        Route route = exact.get(path);
        Map<String, String> params = Map.of();
        if (route == null) {
            String[] parts = segments(path);
            boolean folder = path.length() > 1 && path.endsWith("/");
            for (Route candidate : templated) {
                Map<String, String> found = match(candidate, parts, folder);
                if (found != null && (route == null || rank(candidate) > rank(route))) {
                    route = candidate;
                    params = found;
                }
            }
        }
        if (route == null) {
            return null;
        }
        Target target = route.byMethod().get(method);
        if (target == null && method.equals("HEAD")) {
            target = route.byMethod().get("GET");
        }
        if (target == null) {
            return new Match(null, route.template(), params, List.of(), List.of(), true, Exceptions.NONE);
        }
        Match match = target.match();
        return params.isEmpty() ? match : new Match(match.handler(), match.template(), params, match.before(),
                match.after(), match.mayBlock(), match.exceptions());
    }

    /** {@return every route's path template, in the order they were added} */
    public List<String> templates() {
        return List.copyOf(byTemplate.keySet());
    }

    /** {@return the methods the route of a template answers: HEAD included where GET is, and OPTIONS} */
    public Set<String> methods(String template) {
        Route route = byTemplate.get(template);
        var methods = new TreeSet<String>(route == null ? Set.of() : route.byMethod().keySet());
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return methods;
    }

    /**
     * Matches a path's segments. A tail route takes one segment or more, or none when the path ends
     * with '/' ({@code /files/} matches {@code /files/*} with an empty rest).
     */
    private static Map<String, String> match(Route route, String[] parts, boolean folder) {
        String[] segments = route.segments();
        boolean tail = segments.length > 0 && segments[segments.length - 1].equals(TAIL);
        if (tail && folder && parts.length == segments.length - 1) {
            Map<String, String> params = match(new Route(route.template(), java.util.Arrays.copyOf(segments,
                    segments.length - 1), route.byMethod()), parts, false);
            if (params == null) {
                return null;
            }
            var withRest = new HashMap<>(params);
            withRest.put(TAIL, "");
            return withRest;
        }
        if (tail ? parts.length < segments.length : segments.length != parts.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (tail && i == segments.length - 1) {
                String rest = String.join("/", java.util.Arrays.asList(parts).subList(i, parts.length));
                if (rest.isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(TAIL, rest);
            } else if (segment.startsWith("{")) {
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

    /** A literal segment wins over a parameter; any route without a tail wins over a tail route. */
    private static int rank(Route route) {
        int n = 0;
        for (String segment : route.segments()) {
            if (segment.equals(TAIL)) {
                n -= 10_000;
            } else if (!segment.startsWith("{")) {
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
