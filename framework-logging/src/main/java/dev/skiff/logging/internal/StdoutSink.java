package dev.skiff.logging.internal;

import java.io.PrintStream;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where every encoded log line goes: stdout, in the order the lines were logged.
 *
 * <p>A thread that is not an event loop's gets its line written before its log call returns, in
 * one write with any line still waiting. An event loop's thread (the HTTP server's I/O threads,
 * marked with {@link #batchOn}) does not wait for the write: its line joins a buffer that the loop
 * writes out once the work of its current round is done, one write for all the round's lines
 * (an access log of a busy server costs one system call per round, not one per request). A line
 * waits at most that round, a few microseconds under load; {@link #flush} writes whatever waits,
 * and the shutdown calls it last.
 */
final class StdoutSink {

    /** The one sink of the process: appenders replace each other, the waiting lines stay in order. */
    static final StdoutSink INSTANCE = new StdoutSink();

    /** Beyond this many waiting bytes, a loop's line is written at once with the rest. */
    private static final int MAX_WAITING = 64 * 1024;

    private static final ThreadLocal<Executor> ROUND_END = new ThreadLocal<>();

    private final ReentrantLock lock = new ReentrantLock();
    private final Runnable flushTask = this::flush;
    private byte[] waiting = new byte[16 * 1024];
    private int size;
    private boolean flushQueued;

    private StdoutSink() {}

    /**
     * Marks the calling thread as an event loop's: its lines wait for the end of the loop's round.
     *
     * @param loop runs a task on this thread once the loop's current round of work is done
     */
    static void batchOn(Executor loop) {
        ROUND_END.set(loop);
    }

    /** Writes one encoded line, or queues it for the end of the calling loop's round. */
    void write(byte[] line) {
        Executor loop = ROUND_END.get();
        boolean queueFlush = false;
        lock.lock();
        try {
            if (loop != null && size + line.length <= MAX_WAITING) {
                append(line);
                queueFlush = !flushQueued;
                flushQueued = true;
            } else if (size > 0 && size + line.length <= waiting.length) {
                append(line);
                writeWaiting();
            } else {
                writeWaiting();
                out().write(line, 0, line.length);
                out().flush();
            }
        } finally {
            lock.unlock();
        }
        if (queueFlush) {
            try {
                loop.execute(flushTask);
            } catch (RuntimeException stopping) {
                // The loop no longer takes tasks: it is shutting down. Written now instead.
                flush();
            }
        }
    }

    /** Writes every waiting line. */
    void flush() {
        lock.lock();
        try {
            flushQueued = false;
            writeWaiting();
        } finally {
            lock.unlock();
        }
    }

    private void append(byte[] line) {
        if (size + line.length > waiting.length) {
            byte[] larger = new byte[Math.max(waiting.length * 2, size + line.length)];
            System.arraycopy(waiting, 0, larger, 0, size);
            waiting = larger;
        }
        System.arraycopy(line, 0, waiting, size, line.length);
        size += line.length;
    }

    private void writeWaiting() {
        if (size > 0) {
            out().write(waiting, 0, size);
            out().flush();
            size = 0;
        }
    }

    /**
     * {@return the process's stdout, asked each time: a test may replace it} A {@link PrintStream}
     * never throws; it is flushed after each write, so no line is held back.
     */
    private static PrintStream out() {
        return System.out;
    }
}
