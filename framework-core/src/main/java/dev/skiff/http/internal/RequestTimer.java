package dev.skiff.http.internal;

import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * The request timeout of one request: armed on the connection's I/O thread when the handler
 * starts, paused while the handler waits for the client to send the body — that wait has its own
 * deadline, {@code http.body-read-timeout} — and armed again, in full, once the body is in. Used
 * by the request's thread only.
 */
final class RequestTimer {

    private final XnioExecutor ioThread;
    private final Runnable onTimeout;
    private final long millis;
    private XnioExecutor.Key key;

    RequestTimer(XnioExecutor ioThread, long millis, Runnable onTimeout) {
        this.ioThread = ioThread;
        this.millis = millis;
        this.onTimeout = onTimeout;
    }

    /** Starts, or starts again, the full timeout. */
    void arm() {
        key = ioThread.executeAfter(onTimeout, millis, TimeUnit.MILLISECONDS);
    }

    /** Stops the timeout; if it has fired already, its answer stands. */
    void disarm() {
        if (key != null) {
            key.remove();
            key = null;
        }
    }

    long millis() {
        return millis;
    }
}
