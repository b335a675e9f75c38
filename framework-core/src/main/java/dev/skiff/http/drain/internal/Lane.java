package dev.skiff.http.drain.internal;

import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/** Requests from one address (or from every address that does not probe): when they arrive. */
final class Lane {

    private static final long MILLISECOND = TimeUnit.MILLISECONDS.toNanos(1);

    final InetAddress address;
    private final AtomicLong last = new AtomicLong(TrafficWatch.NEVER);
    /** Per slot, the last tenth of a second (its number) in which a request arrived. */
    private final AtomicLongArray seen = new AtomicLongArray(TrafficWatch.BUCKETS);

    Lane(InetAddress address) {
        this.address = address;
        for (int i = 0; i < TrafficWatch.BUCKETS; i++) {
            seen.setPlain(i, TrafficWatch.NEVER);
        }
    }

    void arrive(long now) {
        // At most one store a millisecond: the drain needs no finer time, and several I/O
        // threads storing on every request would pass the cache line around.
        // Never backwards: a thread that read the clock before another may store after it.
        long previous = last.getPlain();
        while ((previous == TrafficWatch.NEVER || now - previous >= MILLISECOND) && !last.weakCompareAndSetRelease(previous, now)) {
            previous = last.getPlain();
        }
        long bucket = Math.floorDiv(now, TrafficWatch.BUCKET_NANOS);
        int slot = Math.floorMod(bucket, TrafficWatch.BUCKETS);
        if (seen.getPlain(slot) != bucket) {
            seen.setRelease(slot, bucket);
        }
    }

    /** {@return when the last request arrived, or {@link Long#MIN_VALUE} if none did} */
    long last() {
        return last.getAcquire();
    }

    /**
     * {@return whether requests arrived steadily up to {@code at}: some in every tenth of a second
     * of the {@value TrafficWatch#STEADY_BUCKETS} before it, tens a second at least}
     */
    boolean steadyBefore(long at) {
        long end = Math.floorDiv(at, TrafficWatch.BUCKET_NANOS);
        for (int i = TrafficWatch.STEADY_BUCKETS; i >= 1; i--) {
            long bucket = end - i;
            if (seen.get(Math.floorMod(bucket, TrafficWatch.BUCKETS)) != bucket) {
                return false;
            }
        }
        return true;
    }

    /** {@return whether any request arrived in the {@value TrafficWatch#WINDOW_BUCKETS} tenths of a second before {@code at}} */
    boolean anyBefore(long at) {
        long lastArrival = last.getAcquire();
        if (lastArrival == TrafficWatch.NEVER) {
            return false;
        }
        if (at - lastArrival <= TrafficWatch.BUCKET_NANOS) {
            return true;
        }
        // The tenths of a second before the one of the moment, which has only begun.
        long end = Math.floorDiv(at, TrafficWatch.BUCKET_NANOS);
        for (int i = TrafficWatch.WINDOW_BUCKETS; i >= 1; i--) {
            long bucket = end - i;
            if (seen.get(Math.floorMod(bucket, TrafficWatch.BUCKETS)) == bucket) {
                return true;
            }
        }
        return false;
    }
}
