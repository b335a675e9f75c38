package dev.skiff.internal;

import dev.skiff.http.Handler;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The application's routes: method and exact path to handler. */
public final class Routes {

    private final Map<String, Map<String, Handler>> byPath = new LinkedHashMap<>();

    /** Adds a route; a second handler for the same method and path is a programming error. */
    public void add(String method, String path, Handler handler) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path starts with '/', got \"" + path + "\"");
        }
        if (path.startsWith("/health/")) {
            throw new IllegalArgumentException("the path \"" + path + "\" is Skiff's own health endpoint");
        }
        String upper = method.toUpperCase(Locale.ROOT);
        Handler previous = byPath.computeIfAbsent(path, p -> new LinkedHashMap<>()).putIfAbsent(upper, handler);
        if (previous != null) {
            throw new IllegalArgumentException("a route for " + upper + " " + path + " is already registered");
        }
    }

    /** {@return the handler for a method and path, or null} */
    public Handler find(String method, String path) {
        Map<String, Handler> methods = byPath.get(path);
        return methods == null ? null : methods.get(method);
    }

    /** {@return the methods a path answers, empty when the path is unknown} */
    public Set<String> methods(String path) {
        Map<String, Handler> methods = byPath.get(path);
        return methods == null ? Set.of() : new TreeSet<>(methods.keySet());
    }
}
