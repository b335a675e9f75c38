package dev.skiff.http.client.internal;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How many retries a client may make, and how long each waits: each call adds a tenth of a retry,
 * up to a reserve of {@value #RESERVE}, and each retry takes one. While a backing service fails
 * every call, retries add at most a tenth to the load on it (after the reserve is spent), rather
 * than multiply it by the number of attempts: the retry storm that keeps a recovering service down.
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

    /** The first backoff; each retry's doubles, up to 64 times it. */
    static final Duration FIRST_BACKOFF = Duration.ofMillis(50);
    private static final Duration LONGEST_RETRY_AFTER = Duration.ofSeconds(2);

    /** Exponential from 50 ms with full jitter, or the service's own Retry-After when it asked for up to 2 s. */
    static Duration backoff(int attempt, Duration retryAfter) {
        long ceiling = FIRST_BACKOFF.toMillis() << Math.min(attempt, 6);
        long jittered = ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1);
        return retryAfter.toMillis() > jittered ? retryAfter : Duration.ofMillis(jittered);
    }

    /** {@return the wait a response asks for with {@code Retry-After} in seconds, at most 2 s; zero when it asks none} */
    static Duration retryAfter(HttpResponse<?> response) {
        return response.headers().firstValue("Retry-After").map(value -> {
            try {
                long seconds = Long.parseLong(value.strip());
                return seconds < 0 ? Duration.ZERO : Duration.ofSeconds(Math.min(seconds, LONGEST_RETRY_AFTER.toSeconds()));
            } catch (NumberFormatException e) {
                return Duration.ZERO; // an HTTP date: the usual backoff
            }
        }).orElse(Duration.ZERO);
    }
}
