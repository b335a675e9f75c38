package dev.skiff.http.internal;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.xnio.IoUtils;

/**
 * The one response of a request, and the claim that decides who sends it.
 *
 * <p><b>One writer per response.</b> Several parties may answer a request: the request's own
 * thread (its handler, a filter, the mapping of an error it threw), the request timeout on the
 * connection's I/O thread, and the server before any handler runs (no route, the concurrency
 * limit, a body over the limit). Each must first win the claim, an atomic reference that exactly
 * one of them ever sets; a loser sends nothing. Until it claims, the request's thread writes only
 * this object's pending status, headers and body — never the exchange — so nothing a loser wrote
 * is ever sent, and the winner commits status, headers and body once, by one thread: the
 * connection's I/O thread ({@link Responses#send}), after the after filters have run.
 *
 * <p>A streamed response is the one exception: it claims when the stream is opened, and from then
 * on the request's thread writes the exchange itself; the request timeout no longer answers for
 * it, and after filters can no longer change it.
 */
final class Reply {

    /** Who won the claim. */
    private enum Owner { REQUEST, SERVER }

    private final HttpServerExchange exchange;
    private final String requestId;
    /** The application's mapper, for the members of its problems; null for the server's own answers. */
    private JsonCodec json;
    private final AtomicReference<Owner> owner = new AtomicReference<>();
    /** Whether the connection closes after the answer: the body was not read to its end, or cannot be trusted. */
    private volatile boolean closeConnection;

    // What the request's thread has answered so far. Only that thread touches these, and only
    // before it claims; the I/O thread reads them after the claim, through the dispatch's
    // happens-before edge.
    private int status = 200;
    private final HeaderMap headers = new HeaderMap();
    private byte[] body = new byte[0];
    /** A file sent from disk instead of {@link #body}, without a copy, or null. */
    private java.nio.file.Path file;
    private long fileOffset;
    private long fileLength;
    private boolean answered;
    private OutputStream stream;

    /**
     * Creates the reply of a request.
     *
     * @param bodyPending whether the request has a body not read yet: until it is read to its end,
     *     the connection closes after the answer, rather than drain what the client still sends
     */
    Reply(HttpServerExchange exchange, String requestId, boolean bodyPending) {
        this.exchange = exchange;
        this.requestId = requestId;
        this.closeConnection = bodyPending;
    }

    /** Writes the members of the application's problems with its mapper. */
    Reply json(JsonCodec codec) {
        this.json = codec;
        return this;
    }

    /** The body was read to its end: the connection can serve the client's next request. */
    void bodyRead() {
        closeConnection = false;
    }

    /** The connection closes after the answer. */
    void closeConnection() {
        closeConnection = true;
    }

    // The request's thread, before it claims.

    /** {@return whether the request's thread has answered: a body, a stream or a problem} */
    boolean answered() {
        return answered;
    }

    void status(int code) {
        status = code;
    }

    int status() {
        return status;
    }

    void header(HttpString name, String value) {
        headers.put(name, value);
    }

    /** Sets the body the response will carry; a request has one. */
    void answer(String contentType, byte[] bytes) {
        requireUnanswered();
        answered = true;
        headers.put(Headers.CONTENT_TYPE, contentType);
        body = bytes;
    }

    /**
     * Sets a file on disk as the body: from {@code offset} to its end, {@code length} bytes, sent
     * by the I/O thread's transfer from the file to the socket, not copied through this thread.
     */
    void answerFile(String contentType, java.nio.file.Path path, long offset, long length) {
        requireUnanswered();
        answered = true;
        headers.put(Headers.CONTENT_TYPE, contentType);
        file = path;
        fileOffset = offset;
        fileLength = length;
    }

    /**
     * Replaces whatever was answered with a problem: status and body, and the headers unless
     * {@code keepHeaders} — a handler that throws {@code HttpException} after setting
     * {@code WWW-Authenticate} means them for its answer; after an unexpected failure they are
     * dropped with the rest of what it had answered.
     */
    void problem(Problem problem, boolean keepHeaders) {
        answered = true;
        status = problem.status();
        if (!keepHeaders) {
            headers.clear();
        }
        problem.headers().forEach((name, value) -> headers.put(new HttpString(name), value));
        headers.put(Headers.CONTENT_TYPE, "application/problem+json");
        body = problem.body(requestId, json);
        file = null;
        if (problem.closesConnection()) {
            closeConnection = true;
        }
    }

    /**
     * Claims the response for a stream and starts it: status and headers as set so far go out
     * with the first write. When the server has answered already, the stream goes nowhere.
     */
    OutputStream stream(String contentType) {
        return stream(contentType, -1);
    }

    /** As {@link #stream(String)}, with the body's length known: sent as {@code Content-Length}, not chunked. */
    OutputStream stream(String contentType, long length) {
        if (exchange.isInIoThread()) {
            throw new IllegalStateException("a route declared with Handler.nonBlocking cannot stream its response:"
                    + " a stream waits for the client, and the route runs on the connection's I/O thread;"
                    + " remove Handler.nonBlocking from " + exchange.getRequestMethod() + " " + exchange.getRequestPath());
        }
        requireUnanswered();
        answered = true;
        headers.put(Headers.CONTENT_TYPE, contentType);
        if (!owner.compareAndSet(null, Owner.REQUEST)) {
            return OutputStream.nullOutputStream();
        }
        if (closeConnection) {
            exchange.setPersistent(false);
        }
        exchange.setStatusCode(status);
        copy(headers, exchange.getResponseHeaders());
        if (length >= 0) {
            exchange.setResponseContentLength(length);
        }
        exchange.startBlocking();
        stream = exchange.getOutputStream();
        return stream;
    }

    /** {@return whether a stream was opened: the response has started and cannot be replaced} */
    boolean streaming() {
        return stream != null;
    }

    /** {@return whether the server answered this request instead of its thread, after a timeout} */
    boolean answeredByServer() {
        return owner.get() == Owner.SERVER;
    }

    /**
     * The request's thread is done, after filters included: sends what it answered (an empty 200
     * when nothing), unless the server has answered already; ends a stream the handler left open.
     */
    void finish() {
        if (stream != null) {
            try {
                stream.close();
            } catch (IOException e) {
                IoUtils.safeClose(exchange.getConnection()); // the client went away mid-stream
            }
            return;
        }
        if (owner.compareAndSet(null, Owner.REQUEST)) {
            if (file != null) {
                Responses.sendFile(exchange, status, headers, file, fileOffset, fileLength, closeConnection);
            } else {
                Responses.send(exchange, status, headers, body, closeConnection);
            }
        }
    }

    /** A stream broke off mid-body: close the connection, so the client sees it incomplete. */
    void abortStream() {
        IoUtils.safeClose(exchange.getConnection());
    }

    // The server, on the I/O thread.

    /**
     * Answers on the server's behalf, if nobody has: a request timeout, the concurrency limit, a
     * request refused before its handler runs.
     *
     * @return whether this answer won the claim and was sent
     */
    boolean answerNow(Problem problem) {
        if (!owner.compareAndSet(null, Owner.SERVER)) {
            return false;
        }
        var problemHeaders = new HeaderMap();
        for (Map.Entry<String, String> header : problem.headers().entrySet()) {
            problemHeaders.put(new HttpString(header.getKey()), header.getValue());
        }
        problemHeaders.put(Headers.CONTENT_TYPE, "application/problem+json");
        Responses.send(exchange, problem.status(), problemHeaders, problem.body(requestId, json),
                closeConnection || problem.closesConnection());
        return true;
    }

    /**
     * Answers with a status, headers and no body on the server's behalf, if nobody has: what the
     * server answers itself, such as {@code OPTIONS}.
     *
     * @return whether this answer won the claim and was sent
     */
    boolean answerEmpty(int status, Map<String, String> headers) {
        if (!owner.compareAndSet(null, Owner.SERVER)) {
            return false;
        }
        var answerHeaders = new HeaderMap();
        headers.forEach((name, value) -> answerHeaders.put(new HttpString(name), value));
        Responses.send(exchange, status, answerHeaders, new byte[0], closeConnection);
        return true;
    }

    private void requireUnanswered() {
        if (answered) {
            throw new IllegalStateException("this request was answered already; send one response per request");
        }
    }

    static void copy(HeaderMap from, HeaderMap to) {
        for (HeaderValues values : from) {
            // Vary adds up: the server's "Vary: Origin" (CORS) stays beside the handler's own.
            if (!values.getHeaderName().equals(Headers.VARY)) {
                to.remove(values.getHeaderName());
            }
            to.addAll(values.getHeaderName(), values);
        }
    }
}
