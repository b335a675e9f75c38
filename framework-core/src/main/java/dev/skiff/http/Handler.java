package dev.skiff.http;

/**
 * Serves a request; a lambda is enough: {@code ctx -> ctx.json(Map.of("ok", true))}.
 *
 * <p>Handlers run on virtual threads, so blocking calls (JDBC, HTTP clients) are fine. A handler
 * that answers from memory alone can say so with {@link #nonBlocking}, and skip the hand-off.
 */
@FunctionalInterface
public interface Handler {

    /**
     * {@return the same handler, declared never to block: its requests are served on the
     * connection's I/O thread, without the hand-off to a virtual thread and back that costs more
     * CPU than a small answer itself}
     *
     * <p>For an answer computed from memory in well under a millisecond: a greeting, a lookup in a
     * map, a redirect. While it runs, the other connections of its I/O thread wait, so it must not
     * call a database or another service, sleep, wait for a lock or stream a response
     * ({@code ctx.stream} fails). A route runs this way only when its handler and every filter
     * around it are non-blocking, and only for requests without a body (a body is read first, on a
     * virtual thread). The request timeout cannot interrupt it; the third call of a route over
     * 10 ms is logged as a warning.
     *
     * @param handler a handler that never blocks
     */
    static Handler nonBlocking(Handler handler) {
        java.util.Objects.requireNonNull(handler, "handler");
        return new Handler() {
            @Override
            public void handle(Context ctx) throws Exception {
                handler.handle(ctx);
            }

            @Override
            public boolean mayBlock() {
                return false;
            }
        };
    }

    /** {@return whether this handler may block: true unless it was made with {@link #nonBlocking}} */
    default boolean mayBlock() {
        return true;
    }

    /**
     * Handles one request.
     *
     * @param ctx the request and its response
     * @throws Exception anything unexpected; it becomes a 500 problem response and one log event
     */
    void handle(Context ctx) throws Exception;
}
