package dev.skiff.http.internal;

/**
 * How many retries a client may make: each call adds a tenth of a retry, up to a reserve of
 * {@value #RESERVE}, and each retry takes one. While a backing service fails every call, retries
 * add at most a tenth to the load on it (after the reserve is spent), rather than multiply it by
 * the number of attempts: the retry storm that keeps a recovering service down.
 */
final class RetryBudget {

    static final double RESERVE = 10;
    private static final double PER_CALL = 0.1;

    private double tokens = RESERVE;

    /** Counts a call. */
    synchronized void called() {
        tokens = Math.min(RESERVE, tokens + PER_CALL);
    }

    /** {@return whether a retry may be made now; if so, it is counted} */
    synchronized boolean tryRetry() {
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
