package dev.skiff.internal;

import io.undertow.server.HttpServerExchange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sends response bodies from the connection's I/O thread. Written from a virtual thread, a heap
 * buffer makes the JDK allocate a temporary direct buffer for that thread — one per request,
 * since every request has its own virtual thread — and Undertow's buffer pool caches per thread
 * too; the I/O thread keeps both caches warm.
 */
final class Bodies {

    private Bodies() {}

    static void send(HttpServerExchange exchange, String body) {
        send(exchange, body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpServerExchange exchange, byte[] body) {
        if (exchange.isInIoThread()) {
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        } else {
            // Undertow runs a dispatch made during a call once that call returns: here, after the
            // handler and every after filter, so headers they set are still sent.
            exchange.dispatch(exchange.getIoThread(), () -> exchange.getResponseSender().send(ByteBuffer.wrap(body)));
        }
    }
}
