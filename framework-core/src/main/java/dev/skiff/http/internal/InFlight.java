package dev.skiff.http.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The application requests in flight. A request counts from its arrival until both its response
 * is done and its handler has returned: a handler that the request timeout answered for, and that
 * still runs, still counts — against the concurrency limit and in the drain at shutdown — since it
 * still holds a thread, connections and memory.
 */
final class InFlight {

    private final AtomicInteger count = new AtomicInteger();
    private final Set<Thread> handlers = ConcurrentHashMap.newKeySet();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();

    /** One request's place in the count: given back once its response and its handler are done. */
    final class Ticket {

        private final AtomicInteger parties = new AtomicInteger(1);
        private volatile Runnable whenDone = () -> { };
        private volatile Thread handler;

        /** A handler will run for this request: the ticket waits for it too. */
        void expectHandler() {
            parties.incrementAndGet();
        }

        /** Runs {@code action} when the ticket is given back, such as releasing the body's memory. */
        void whenDone(Runnable action) {
            whenDone = action;
        }

        /** The handler runs on the current thread, to be interrupted if the drain gives up on it. */
        void handlerRunning() {
            handler = Thread.currentThread();
            handlers.add(handler);
        }

        /** Interrupts the handler, if it has started. */
        void interruptHandler() {
            Thread running = handler;
            if (running != null) {
                running.interrupt();
            }
        }

        /** The handler has returned, on its thread. */
        void handlerDone() {
            handlers.remove(Thread.currentThread());
            handler = null;
            release();
        }

        /** The response is done: sent, or its connection closed. */
        void responseDone() {
            release();
        }

        /** The last of the handler and the response gives the place back. */
        private void release() {
            if (parties.decrementAndGet() == 0) {
                whenDone.run();
                if (count.decrementAndGet() == 0) {
                    lock.lock();
                    try {
                        idle.signalAll();
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /** {@return a ticket for a request that has arrived} */
    Ticket enter() {
        count.incrementAndGet();
        return new Ticket();
    }

    /** {@return the requests in flight, the one asking included} */
    int count() {
        return count.get();
    }

    /**
     * Waits until no request is in flight, or the time is up.
     *
     * @return whether none is left
     */
    boolean awaitNone(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (count.get() > 0) {
                if (left <= 0) {
                    return false;
                }
                left = idle.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Interrupts every handler still running; {@return how many there were} */
    int interruptHandlers() {
        int n = 0;
        for (Thread handler : handlers) {
            handler.interrupt();
            n++;
        }
        return n;
    }
}
