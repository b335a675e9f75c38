package dev.skiff.http.internal;

import dev.skiff.http.Context;
import io.undertow.server.HttpServerExchange;

/** The exchange behind a context, for the documented escape hatch. */
public final class Exchanges {

    private Exchanges() {}

    /** {@return the exchange behind a context of this server} */
    public static HttpServerExchange of(Context ctx) {
        if (ctx instanceof ExchangeContext exchangeContext) {
            return exchangeContext.exchange();
        }
        throw new IllegalArgumentException("this context is not one of Skiff's HTTP server: " + ctx.getClass().getName());
    }
}
