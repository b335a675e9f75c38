package dev.skiff.http.internal;

import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * The request timeout of one request: armed on the connection's I/O thread when the handler
 * starts, paused while the handler waits for the client to send the body — that wait has its own
 * deadline, {@code http.body-read-timeout} — and resumed with what is left once the body is in.
 * Armed first on the I/O thread, before the handler is dispatched (the dispatch publishes it);
 * from then on used by the request's thread only.
 */
final class RequestTimer {

    private final XnioExecutor ioThread;
    private final Runnable onTimeout;
    private final long millis;
    private long usedNanos;
    private long armedAt;
    private XnioExecutor.Key key;

    RequestTimer(XnioExecutor ioThread, long millis, Runnable onTimeout) {
        this.ioThread = ioThread;
        this.millis = millis;
        this.onTimeout = onTimeout;
    }

    /**
     * Starts the timeout, or resumes it with the time the handler has not used yet. Called on the
     * I/O thread it schedules on, it wakes nobody; from another thread, that thread's selector.
     */
    void arm() {
        armedAt = System.nanoTime();
        long left = Math.max(0, TimeUnit.MILLISECONDS.toNanos(millis) - usedNanos);
        key = ioThread.executeAfter(onTimeout, left, TimeUnit.NANOSECONDS);
    }

    /** Stops the timeout, counting the time used so far; if it has fired already, its answer stands. */
    void disarm() {
        if (key != null) {
            key.remove();
            key = null;
            usedNanos += System.nanoTime() - armedAt;
        }
    }
}
