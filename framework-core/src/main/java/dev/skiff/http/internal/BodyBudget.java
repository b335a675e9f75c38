package dev.skiff.http.internal;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory that request bodies may take together, counted as their bytes arrive
 * ({@code http.max-buffered-bodies}): however many clients send at once, and however much each
 * declares, buffered bodies stay under it. A body that would pass it is answered 503.
 */
final class BodyBudget {

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    BodyBudget(long limit) {
        this.limit = limit;
    }

    /** {@return whether {@code bytes} more fit; when they do, they are counted until released} */
    boolean reserve(long bytes) {
        long now;
        do {
            now = used.get();
            if (now + bytes > limit) {
                return false;
            }
        } while (!used.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    /** {@return the bytes counted now} */
    long used() {
        return used.get();
    }

    long limit() {
        return limit;
    }
}
