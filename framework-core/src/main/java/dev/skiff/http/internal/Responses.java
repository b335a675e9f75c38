package dev.skiff.http.internal;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import java.nio.ByteBuffer;

/**
 * Writes whole responses, always from the connection's I/O thread. There, Undertow's buffer pool
 * and the JDK's temporary direct buffers are per thread and stay warm; written from a virtual
 * thread, every request would allocate its own.
 */
final class Responses {

    private Responses() {}

    /**
     * Sends status, headers and body, and ends the exchange: at once when called on the I/O
     * thread, else handed to it. The caller must hold the response's claim ({@link Reply}).
     */
    static void send(HttpServerExchange exchange, int status, HeaderMap headers, byte[] body, boolean closeConnection) {
        HttpHandler write = ex -> {
            if (closeConnection) {
                ex.setPersistent(false);
            }
            ex.setStatusCode(status);
            Reply.copy(headers, ex.getResponseHeaders());
            if (body.length == 0) {
                ex.endExchange();
            } else {
                ex.getResponseSender().send(ByteBuffer.wrap(body));
            }
        };
        if (exchange.isInIoThread()) {
            try {
                write.handleRequest(exchange);
            } catch (Exception impossible) {
                throw new IllegalStateException(impossible);
            }
        } else {
            // The HttpHandler form runs the write as a root handler call on the I/O thread (the
            // Runnable form would not be "in call"); it is skipped when the connection has closed.
            exchange.dispatch(exchange.getIoThread(), write);
        }
    }
}
