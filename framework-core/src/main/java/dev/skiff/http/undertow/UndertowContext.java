package dev.skiff.http.undertow;

import dev.skiff.http.Context;
import dev.skiff.http.internal.Exchanges;
import io.undertow.server.HttpServerExchange;

/**
 * The one way from a {@link Context} to the engine under it, for what the context does not cover.
 * Code that uses it is tied to Undertow, and to what it does to the exchange: set nothing that
 * the context also sets (status, headers, body), since the context's answer is sent after the
 * handler returns.
 */
public final class UndertowContext {

    private UndertowContext() {}

    /**
     * Returns Undertow's exchange of a request.
     *
     * @param ctx the request's context, as a handler received it
     * @return the exchange
     * @throws IllegalArgumentException when the context is not one of Skiff's server
     */
    public static HttpServerExchange exchange(Context ctx) {
        return Exchanges.of(ctx);
    }
}
