package dev.skiff;

import dev.skiff.http.Handler;
import dev.skiff.http.internal.RouteTable;
import java.util.Objects;
import java.util.function.Consumer;

/** The routes of one group: a path prefix and a filter scope of its own inside its parent's. */
final class RouteGroup implements Routes {

    private final RouteTable table;
    private final RouteTable.Scope scope;
    private final String prefix;

    RouteGroup(RouteTable table, RouteTable.Scope scope, String prefix) {
        this.table = table;
        this.scope = scope;
        this.prefix = prefix;
    }

    @Override
    public RouteGroup route(String method, String path, Handler handler) {
        add(table, scope, prefix, method, path, handler);
        return this;
    }

    @Override
    public RouteGroup before(Handler filter) {
        scope.before(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    @Override
    public RouteGroup after(Handler filter) {
        scope.after(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    @Override
    public RouteGroup staticFiles(String path, String location) {
        files(table, scope, prefix, path, location);
        return this;
    }

    /** The routes of a folder of files: the path itself (its index.html) and every path under it. */
    static void files(RouteTable table, RouteTable.Scope scope, String prefix, String path, String location) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(location, "location");
        var files = dev.skiff.http.internal.StaticFiles.of(location);
        String base = path.equals("/") ? "" : path;
        if (!base.isEmpty() && (!base.startsWith("/") || base.endsWith("/"))) {
            throw new IllegalArgumentException("static files' path starts with '/' and does not end with one (or is"
                    + " \"/\"), got \"" + path + "\"");
        }
        add(table, scope, prefix, "GET", base.isEmpty() && prefix.isEmpty() ? "/" : base, files);
        add(table, scope, prefix, "GET", base + "/" + dev.skiff.http.internal.RouteTable.TAIL, files);
    }

    @Override
    public <E extends Throwable> RouteGroup exception(Class<E> type,
            java.util.function.Function<? super E, ? extends dev.skiff.http.HttpException> answer) {
        scope.exception(Objects.requireNonNull(type, "type"), Objects.requireNonNull(answer, "answer"));
        return this;
    }

    @Override
    public RouteGroup group(String prefix, Consumer<Routes> group) {
        nest(table, scope, this.prefix, prefix, group);
        return this;
    }

    static void add(RouteTable table, RouteTable.Scope scope, String prefix, String method, String path,
            Handler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(path, "path");
        if (!prefix.isEmpty() && !path.isEmpty() && !path.startsWith("/")) {
            throw new IllegalArgumentException("a route's path in a group is empty (the group's own path) or starts"
                    + " with '/', got \"" + path + "\" in the group " + prefix);
        }
        String full = prefix + path;
        table.add(method, full.isEmpty() ? "/" : full, Objects.requireNonNull(handler, "handler"), scope);
    }

    static void nest(RouteTable table, RouteTable.Scope scope, String outer, String prefix, Consumer<Routes> group) {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(group, "group");
        if (!prefix.startsWith("/") || prefix.endsWith("/")) {
            throw new IllegalArgumentException("a group's prefix starts with '/' and does not end with one, got \""
                    + prefix + "\"");
        }
        group.accept(new RouteGroup(table, scope.child(), outer + prefix));
    }
}
