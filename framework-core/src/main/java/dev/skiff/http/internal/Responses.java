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
        onIoThread(exchange, write);
    }

    /**
     * Sends status, headers and a file's bytes from {@code offset} to its end ({@code length} of
     * them), and ends the exchange. The transfer goes from the file to the socket without a copy
     * (Undertow runs it as a task, since reading a file may block); a {@code HEAD} request gets
     * the length alone. A file gone meanwhile cuts the connection: its headers may be sent already.
     */
    static void sendFile(HttpServerExchange exchange, int status, HeaderMap headers, java.nio.file.Path file,
            long offset, long length, boolean closeConnection) {
        HttpHandler write = ex -> {
            if (closeConnection) {
                ex.setPersistent(false);
            }
            ex.setStatusCode(status);
            Reply.copy(headers, ex.getResponseHeaders());
            ex.setResponseContentLength(length);
            if (ex.getRequestMethod().equals(io.undertow.util.Methods.HEAD) || length == 0) {
                ex.endExchange();
                return;
            }
            java.nio.channels.FileChannel channel;
            try {
                channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ);
                channel.position(offset);
            } catch (java.io.IOException e) {
                org.xnio.IoUtils.safeClose(ex.getConnection());
                return;
            }
            ex.getResponseSender().transferFrom(channel, new io.undertow.io.IoCallback() {
                @Override
                public void onComplete(HttpServerExchange done, io.undertow.io.Sender sender) {
                    org.xnio.IoUtils.safeClose(channel);
                    io.undertow.io.IoCallback.END_EXCHANGE.onComplete(done, sender);
                }

                @Override
                public void onException(HttpServerExchange failed, io.undertow.io.Sender sender, java.io.IOException e) {
                    org.xnio.IoUtils.safeClose(channel);
                    io.undertow.io.IoCallback.END_EXCHANGE.onException(failed, sender, e);
                }
            });
        };
        onIoThread(exchange, write);
    }

    /** Runs a write at once when called on the I/O thread, else hands it to that thread. */
    private static void onIoThread(HttpServerExchange exchange, HttpHandler write) {
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
