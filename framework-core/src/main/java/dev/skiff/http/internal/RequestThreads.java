package dev.skiff.http.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import org.xnio.XnioIoThread;

/**
 * Starts the virtual threads that run requests' handlers, a new one per request.
 *
 * <p>An I/O thread that starts a virtual thread wakes a carrier of the virtual-thread scheduler,
 * and on a busy core the woken carrier takes the core from the I/O thread: a thread switch there
 * and back for about every two requests, most of what a handler on a virtual thread cost over one
 * on the I/O thread (bench/results/request-path.md). So the requests an I/O thread reads in one
 * pass over its ready connections are started together, when the pass ends, by one starter thread
 * on a carrier: one wake-up for the batch. Each request still gets a thread of its own, so a
 * handler that blocks holds up no other. A batch is started at once when it reaches
 * {@value #MOST_IN_BATCH} requests, and before a non-blocking handler runs on the I/O thread
 * ({@link #startWaiting}): what a request waits for is the I/O thread's reading and routing of the
 * others, not their handlers.
 */
final class RequestThreads {

    /**
     * The most requests whose threads wait for the end of the I/O thread's pass: the first of them
     * waits while the I/O thread reads and routes the others, some 0.2 ms for 32 on one core here.
     */
    static final int MOST_IN_BATCH = 32;

    /** One name for all: a log line carries its request id, which tells them apart. */
    private final ThreadFactory threads = Thread.ofVirtual().name("skiff-request").factory();
    private final ThreadFactory starters = Thread.ofVirtual().name("skiff-request-starter").factory();
    /** The batch of each I/O thread, touched by that thread only. */
    private final ThreadLocal<Batch> batches = new ThreadLocal<>();

    /** Starts a thread at once: for work that is not a request read by an I/O thread. */
    void startNow(Runnable task) {
        threads.newThread(task).start();
    }

    /**
     * Starts a request's handler on a thread of its own, at the end of the I/O thread's pass when
     * called on it.
     *
     * @param refused run, on the starting thread, if no thread can be started for it: the scheduler
     *     refuses work only when it holds more than it can queue
     */
    void start(XnioIoThread ioThread, Runnable task, Runnable refused) {
        if (Thread.currentThread() != ioThread) {
            startNow(task, refused);
            return;
        }
        Batch batch = batches.get();
        if (batch == null) {
            batch = new Batch();
            batches.set(batch);
        }
        if (batch.tasks.isEmpty()) {
            try {
                ioThread.execute(batch); // runs after the pass over the ready connections
            } catch (RejectedExecutionException exiting) {
                startNow(task, refused); // the I/O thread is stopping: it runs no more tasks
                return;
            }
        }
        batch.add(task, refused);
        if (batch.tasks.size() >= MOST_IN_BATCH) {
            batch.run();
        }
    }

    /** Starts the threads of the requests waiting for the end of this I/O thread's pass, if any: called on it. */
    void startWaiting(XnioIoThread ioThread) {
        Batch batch = Thread.currentThread() == ioThread ? batches.get() : null;
        if (batch != null) {
            batch.run();
        }
    }

    private void startNow(Runnable task, Runnable refused) {
        try {
            threads.newThread(task).start();
        } catch (RejectedExecutionException e) {
            refused.run();
        }
    }

    /** The requests of one I/O thread's pass, started by that thread when the pass ends. */
    private final class Batch implements Runnable {
        private final List<Runnable> tasks = new ArrayList<>(MOST_IN_BATCH);
        private final List<Runnable> refusals = new ArrayList<>(MOST_IN_BATCH);

        void add(Runnable task, Runnable refused) {
            tasks.add(task);
            refusals.add(refused);
        }

        @Override
        public void run() {
            if (tasks.isEmpty()) {
                return; // started already, when the batch filled
            }
            if (tasks.size() == 1) {
                startNow(tasks.get(0), refusals.get(0));
            } else {
                Runnable[] taken = tasks.toArray(Runnable[]::new);
                Runnable[] refused = refusals.toArray(Runnable[]::new);
                try {
                    // Started from a carrier, the threads queue on that carrier, with no wake-up each (an idle
                    // carrier may still take some, on a machine of more than one core).
                    starters.newThread(() -> {
                        for (int i = 0; i < taken.length; i++) {
                            startNow(taken[i], refused[i]);
                        }
                    }).start();
                } catch (RejectedExecutionException e) {
                    for (Runnable refusal : refused) {
                        refusal.run();
                    }
                }
            }
            tasks.clear();
            refusals.clear();
        }
    }
}
