package dev.skiff.internal;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Sends response bodies through Undertow's pooled direct buffers. A heap buffer written to a socket
 * from a virtual thread makes the JDK allocate a fresh temporary direct buffer for that thread —
 * one per request, since every request has its own virtual thread — which costs CPU and memory.
 */
final class Bodies {

    private Bodies() {}

    static void send(HttpServerExchange exchange, String body) {
        send(exchange, body.getBytes(StandardCharsets.UTF_8));
    }

    static void send(HttpServerExchange exchange, byte[] body) {
        Sender sender = exchange.getResponseSender();
        if (exchange.isInIoThread() || body.length == 0) {
            sender.send(ByteBuffer.wrap(body));
            return;
        }
        PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate();
        ByteBuffer buffer = pooled.getBuffer();
        if (body.length > buffer.capacity()) {
            pooled.close();
            sender.send(ByteBuffer.wrap(body));
            return;
        }
        buffer.clear();
        buffer.put(body).flip();
        sender.send(buffer, new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange done, Sender finished) {
                pooled.close();
                IoCallback.END_EXCHANGE.onComplete(done, finished);
            }

            @Override
            public void onException(HttpServerExchange failed, Sender finished, IOException e) {
                pooled.close();
                IoCallback.END_EXCHANGE.onException(failed, finished, e);
            }
        });
    }
}
