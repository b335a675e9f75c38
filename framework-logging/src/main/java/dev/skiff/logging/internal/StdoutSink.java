package dev.skiff.logging.internal;

import java.io.PrintStream;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where every encoded log line goes: stdout, in the order the lines were logged.
 *
 * <p>A line is written before its log call returns, in one write with any line still waiting —
 * but for the lines logged inside {@link #atRoundEnd} on an event loop's thread (the access log,
 * on the HTTP server's I/O threads): those join a buffer that the same loop writes out once the
 * work of its current round is done, so a busy server makes one system call for a round's access
 * log rather than one per request. Such a line waits for the end of its own thread's round, which
 * is short, since a loop never blocks; {@link #flush} writes whatever waits, and the shutdown calls
 * it last.
 *
 * <p>Waiting lines are written in pieces of whole lines of at most {@value #ATOMIC_WRITE} bytes:
 * what a pipe on Linux writes whole, so another writer to the same pipe, such as stderr redirected
 * into it, never lands in the middle of such a line. A longer line is written alone, and can be cut
 * like any program's.
 */
final class StdoutSink {

    /** The one sink of the process: appenders replace each other, the waiting lines stay in order. */
    static final StdoutSink INSTANCE = new StdoutSink();

    /** Beyond this many waiting bytes, a deferred line is written at once with the rest. */
    private static final int MAX_WAITING = 64 * 1024;

    /** PIPE_BUF on Linux: a write of up to this many bytes to a pipe is never interleaved with another. */
    static final int ATOMIC_WRITE = 4096;

    /** The calling thread's loop, while it logs lines that may wait for the end of the round. */
    private static final ThreadLocal<Round> ROUND = new ThreadLocal<>();

    /** One event loop thread's state; only that thread reads or writes it. */
    private static final class Round {
        final Executor loop;
        final Runnable flushTask = () -> {
            flushQueued = false;
            INSTANCE.flush();
        };
        boolean deferring;
        boolean flushQueued;

        Round(Executor loop) {
            this.loop = loop;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private byte[] waiting = new byte[16 * 1024];
    private int size;

    private StdoutSink() {}

    /**
     * Runs a logging call whose lines may wait for the end of the calling event loop's round.
     *
     * @param loop runs a task on the calling thread once the loop's current round of work is done
     * @param logging the logging call
     */
    static void atRoundEnd(Executor loop, Runnable logging) {
        Round round = ROUND.get();
        if (round == null || round.loop != loop) {
            round = new Round(loop);
            ROUND.set(round);
        }
        boolean outer = round.deferring;
        round.deferring = true;
        try {
            logging.run();
        } finally {
            round.deferring = outer;
        }
    }

    /** Writes one encoded line, or leaves it for the end of the calling loop's round. */
    void write(byte[] line) {
        Round round = ROUND.get();
        boolean deferred = round != null && round.deferring;
        boolean queueFlush = false;
        lock.lock();
        try {
            if (deferred && size + line.length <= MAX_WAITING) {
                append(line);
                queueFlush = !round.flushQueued;
                round.flushQueued = true;
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
                round.loop.execute(round.flushTask);
            } catch (RuntimeException stopping) {
                // The loop no longer takes tasks: it is shutting down. Written now instead.
                round.flushQueued = false;
                flush();
            }
        }
    }

    /** Writes every waiting line. */
    void flush() {
        lock.lock();
        try {
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

    /** Writes the waiting lines in pieces of whole lines of at most {@link #ATOMIC_WRITE} bytes. */
    private void writeWaiting() {
        int start = 0;
        while (start < size) {
            int end = size;
            if (end - start > ATOMIC_WRITE) {
                end = afterLastNewline(start, start + ATOMIC_WRITE);
                if (end == start) {
                    end = afterNextNewline(start + ATOMIC_WRITE);
                }
            }
            out().write(waiting, start, end - start);
            start = end;
        }
        if (size > 0) {
            out().flush();
            size = 0;
        }
    }

    private int afterLastNewline(int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (waiting[i] == '\n') {
                return i + 1;
            }
        }
        return from;
    }

    private int afterNextNewline(int from) {
        for (int i = from; i < size; i++) {
            if (waiting[i] == '\n') {
                return i + 1;
            }
        }
        return size;
    }

    /**
     * {@return the process's stdout, asked each time: a test may replace it} A {@link PrintStream}
     * never throws; it is flushed after the writes, so no line is held back.
     */
    private static PrintStream out() {
        return System.out;
    }
}
