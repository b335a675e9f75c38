package dev.skiff.http;

/**
 * Serves a request; a lambda is enough: {@code ctx -> ctx.json(Map.of("ok", true))}.
 *
 * <p>Handlers run on virtual threads, so blocking calls (JDBC, HTTP clients) are fine.
 */
@FunctionalInterface
public interface Handler {

    /**
     * Handles one request.
     *
     * @param ctx the request and its response
     * @throws Exception anything unexpected; it becomes a 500 problem response and one log event
     */
    void handle(Context ctx) throws Exception;
}
