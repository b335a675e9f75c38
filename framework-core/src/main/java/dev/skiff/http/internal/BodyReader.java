package dev.skiff.http.internal;

import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Headers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xnio.XnioExecutor;
import org.xnio.channels.StreamSourceChannel;

/**
 * Reads a request's body when its handler first asks for it — so before filters, such as an
 * authorization check, run before a byte of it is read. The connection's I/O thread reads without
 * blocking, as the bytes arrive; the handler's virtual thread waits for the whole body.
 *
 * <p>Bounded under any client: the buffer grows with the bytes received, never with the length a
 * client declares; a body over {@code http.max-body-size} is a 413, one that would pass the
 * server-wide budget of buffered bodies a 503, one that does not arrive within
 * {@code http.body-read-timeout} a 408. After any of these the connection closes.
 */
final class BodyReader {

    private static final Logger log = LoggerFactory.getLogger(BodyReader.class);
    private static final byte[] EMPTY = new byte[0];
    private static final int FIRST_BUFFER = 16 * 1024;

    private final HttpServerExchange exchange;
    private final Reply reply;
    private final long maxBytes;
    private final Duration timeout;
    private final BodyBudget budget;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    /** The request's thread's: whether it asked for the body. */
    private boolean requested;

    // The I/O thread's, while it reads.
    private StreamSourceChannel channel;
    private XnioExecutor.Key deadline;
    private byte[] data = EMPTY;
    private int received;
    /** Guarded by this: the budget this body holds, and whether it was given back for good. */
    private long reserved;
    private boolean released;
    private boolean started;

    /** What was wrong with the framing of the body on the exchange's connection ({@link StrictFraming}), or null. */
    private final java.util.function.Function<HttpServerExchange, String> framingFault;

    BodyReader(HttpServerExchange exchange, Reply reply, long maxBytes, Duration timeout, BodyBudget budget,
            java.util.function.Function<HttpServerExchange, String> framingFault) {
        this.framingFault = framingFault;
        this.exchange = exchange;
        this.reply = reply;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.budget = budget;
    }

    /** {@return whether the request carries a body: a length above zero, or a transfer coding} */
    static boolean hasBody(HttpServerExchange exchange) {
        return exchange.getRequestContentLength() > 0 || exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
    }

    /**
     * Reads the whole body; on the request's thread, which waits while the I/O thread reads. The
     * client's sending has its own deadline, so the request timeout is paused meanwhile: it counts
     * the handler's time.
     *
     * @throws ProblemException 413, 408, 503 or 400 when the body cannot be had
     */
    byte[] read(RequestTimer timer) {
        if (!hasBody(exchange)) {
            return EMPTY;
        }
        if (reply.answeredByServer()) {
            throw new ProblemException(Problem.of(503, "the request was answered before its body was read"));
        }
        if (!requested) {
            requested = true;
            exchange.getIoThread().execute(this::start);
        }
        timer.disarm();
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.getIoThread().execute(() -> fail(Problem.of(503, "the request was interrupted while its body"
                    + " was read").closing()));
            throw new ProblemException(Problem.of(503, "interrupted while reading the request body").closing());
        } catch (ExecutionException e) {
            throw (ProblemException) e.getCause();
        } finally {
            timer.arm();
        }
    }

    /** Stops reading, if it had started: the request is answered without its body. On the I/O thread. */
    void cancel() {
        if (started && !result.isDone()) {
            fail(Problem.of(503, "the request was answered before its body arrived").closing());
        }
    }

    /** Gives back what the body took of the budget; once the request is done. */
    void release() {
        long bytes;
        synchronized (this) {
            released = true;
            bytes = reserved;
            reserved = 0;
        }
        budget.release(bytes);
    }

    // On the I/O thread.

    private void start() {
        if (started || result.isDone()) {
            return;
        }
        started = true;
        deadline = exchange.getIoThread().executeAfter(this::expire, timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (HttpContinue.requiresContinueResponse(exchange)) {
            // The client waits for "100 Continue" before it sends the body: only now, when a handler wants it.
            HttpContinue.sendContinueResponse(exchange, new IoCallback() {
                @Override
                public void onComplete(HttpServerExchange ex, Sender sender) {
                    begin();
                }

                @Override
                public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                    fail(Problem.of(400, "could not answer the request's Expect: 100-continue").closing());
                }
            });
        } else {
            begin();
        }
    }

    private void begin() {
        channel = exchange.getRequestChannel();
        if (channel == null) {
            fail(Problem.of(500, "the request body was taken through the exchange before the handler read it"));
            return;
        }
        channel.getReadSetter().set(ready -> readAvailable());
        readAvailable();
    }

    private void readAvailable() {
        if (result.isDone()) {
            return;
        }
        try (PooledByteBuffer pooled = exchange.getConnection().getByteBufferPool().allocate()) {
            ByteBuffer buffer = pooled.getBuffer();
            while (true) {
                buffer.clear();
                int read = channel.read(buffer);
                if (read < 0) {
                    complete();
                    return;
                }
                if (read == 0) {
                    String fault = framingFault.apply(exchange);
                    if (fault != null) {
                        // The bytes after the fault are held back: answered here, while the
                        // connection is still open, rather than cut by the chunked decoder.
                        fail(Problem.of(400, "the request's chunked body is malformed: " + fault).closing());
                        return;
                    }
                    channel.resumeReads();
                    return;
                }
                if (received + (long) read > maxBytes) {
                    fail(tooLarge());
                    return;
                }
                if (!reserveFor(received + read)) {
                    log.atWarn().setMessage("request bodies being read hold {} bytes, the limit of"
                            + " http.max-buffered-bodies; answering 503").addArgument(budget.limit()).log();
                    fail(new Problem(503, "the server is receiving too many request bodies at once; retry in a"
                            + " second", java.util.Map.of("Retry-After", "1"), true));
                    return;
                }
                buffer.flip();
                append(buffer, read);
            }
        } catch (RequestTooBigException e) {
            fail(tooLarge());
        } catch (IOException e) {
            fail(Problem.of(400, "the request body could not be read: the client sent less than it announced,"
                    + " or broke off").closing());
        }
    }

    /**
     * Makes room for {@code needed} bytes, counting against the budget what the buffer takes —
     * its capacity, and for a moment the old buffer too while it is copied — not what was declared.
     *
     * @return false when the budget has no room, or the request is done and its memory given back
     */
    private boolean reserveFor(long needed) {
        if (needed <= data.length) {
            return true;
        }
        long declared = exchange.getRequestContentLength();
        long wanted = Math.max(needed, Math.max(FIRST_BUFFER, data.length * 2L));
        int capacity = (int) Math.min(wanted, declared > 0 ? Math.min(declared, maxBytes) : maxBytes);
        capacity = Math.max(capacity, (int) needed);
        synchronized (this) {
            if (released || !budget.reserve(capacity)) {
                return false;
            }
            data = Arrays.copyOf(data, capacity);
            budget.release(reserved); // the old buffer is garbage now
            reserved = capacity;
        }
        return true;
    }

    private void append(ByteBuffer buffer, int length) {
        buffer.get(data, received, length);
        received += length;
    }

    private void complete() {
        stopReading();
        reply.bodyRead();
        // Exact when the length was declared; a chunked body is copied once to its size.
        result.complete(received == data.length ? data : Arrays.copyOf(data, received));
        data = null;
    }

    private void expire() {
        if (result.isDone()) {
            return;
        }
        log.atInfo().setMessage("request body not received within {} ms; closing the connection")
                .addArgument(timeout.toMillis()).log();
        fail(Problem.of(408, "the request body did not arrive within " + timeout.toMillis() + " ms").closing());
    }

    private void fail(Problem problem) {
        if (result.isDone()) {
            return;
        }
        stopReading();
        reply.closeConnection();
        data = null;
        result.completeExceptionally(new ProblemException(problem));
    }

    private void stopReading() {
        if (deadline != null) {
            deadline.remove();
        }
        if (channel != null) {
            channel.getReadSetter().set(null);
            channel.suspendReads();
        }
    }

    private Problem tooLarge() {
        return Problem.of(413, "the request body is larger than " + maxBytes
                + " bytes, the limit set by http.max-body-size").closing();
    }
}
