package dev.skiff.logging.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Where every encoded log line goes: stdout, in the order the lines were logged, written by one
 * thread of its own ({@code skiff-stdout}) so that no thread that logs ever waits for stdout.
 *
 * <p>A log call appends its line to a buffer in memory and returns; the writer takes everything
 * waiting and writes it out, so a busy process makes one system call for many lines. Lines wait up
 * to {@value #CAPACITY} bytes. Beyond that, a log call waits while stdout drains, so that a burst
 * loses nothing — but at most {@value #MAX_WAIT_MILLIS} ms, and not at all once stdout has taken
 * nothing for {@value #STALL_MILLIS} ms (a pipe nobody reads, a stuck log collector): lines are
 * then dropped and counted, later ones at once until the writer takes what waits, and the
 * request, probe or shutdown that logged goes on. Once stdout takes lines again, one line says how many were dropped
 * and for how long it did not drain ({@link #onRecovery}). {@link #flush(Duration)} waits, up to a
 * deadline, for what waits to be written: the shutdown's last step.
 *
 * <p>Lines are written in pieces of whole lines of at most {@value #ATOMIC_WRITE} bytes: what a
 * pipe on Linux writes whole, so another writer to the same pipe, such as stderr redirected into
 * it, never lands in the middle of such a line. A longer line is written alone, and can be cut
 * like any program's.
 */
final class StdoutSink {

    /** The most bytes that wait for stdout; lines beyond it are dropped. */
    static final int CAPACITY = 1024 * 1024;

    /** The one sink of the process: appenders replace each other, the waiting lines stay in order. */
    static final StdoutSink INSTANCE = new StdoutSink(() -> System.out, CAPACITY, true);

    /** How long stdout may take nothing before lines that do not fit are dropped rather than waited for. */
    static final long STALL_MILLIS = 200;
    private static final long STALL = TimeUnit.MILLISECONDS.toNanos(STALL_MILLIS);
    /** The longest one log call waits for room, however stdout drains. */
    static final long MAX_WAIT_MILLIS = 1_000;
    private static final long MAX_WAIT = TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);

    /** PIPE_BUF on Linux: a write of up to this many bytes to a pipe is never interleaved with another. */
    static final int ATOMIC_WRITE = 4096;

    /**
     * How long the writer, woken by a line, lets more lines gather before it takes them: a busy
     * service then costs one wake-up and one write per millisecond rather than per line (a thread
     * woken per line cost a request 10 µs and more of a core). Sooner when {@value #GATHER_BYTES}
     * bytes wait or a flush asks.
     */
    static final long GATHER_NANOS = TimeUnit.MICROSECONDS.toNanos(1_000);
    /** The bytes that end the gathering at once: a burst is written without waiting out the window. */
    static final int GATHER_BYTES = 256 * 1024;

    /** Told, on the writer's thread, how many lines were dropped and for how many milliseconds, once stdout drains again. */
    interface Recovery {
        void recovered(long dropped, long stalledMillis);
    }

    private volatile Supplier<? extends OutputStream> out;
    private final int capacity;
    /** Lines wait, unwritten, until the process knows where they go (see {@link #hold}). */
    private boolean held;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition waiting = lock.newCondition();
    private final Condition written = lock.newCondition();
    /** Lines logged and not yet taken by the writer. */
    private byte[] pending = new byte[16 * 1024];
    private int size;
    /** What the writer writes now; swapped with {@link #pending}, so neither is copied. */
    private byte[] writing = new byte[16 * 1024];
    private boolean busy;
    private boolean writerIdle;
    /** The writer lets lines gather before it takes them (see {@link #GATHER_NANOS}). */
    private boolean gathering;
    /** A flush waits: the writer takes what waits without gathering more. */
    private int flushing;
    private Thread writer;
    private long droppedSince;
    /** Set when a line was dropped: later ones are dropped at once until the writer takes what waits. */
    private boolean dropping;
    private long firstDropAt;
    private final AtomicLong dropped = new AtomicLong();
    /** When the writer last wrote a piece or began a batch: stdout's last sign of life. */
    private volatile long progress = System.nanoTime();
    private volatile Recovery recovery = (lines, millis) -> { };
    /** The longest the JVM's exit waits for lines that wait (see the constructor). */
    static final Duration EXIT_FLUSH = Duration.ofSeconds(1);
    private final boolean flushAtExit;

    /**
     * @param out asked for the stream at each write: a test may replace stdout
     * @param capacity the most bytes that wait
     */
    StdoutSink(Supplier<? extends OutputStream> out, int capacity) {
        this(out, capacity, false);
    }

    /**
     * @param flushAtExit whether the JVM's exit waits, up to {@link #EXIT_FLUSH}, for the lines
     *     that wait: for a process that ends without a shutdown of Skiff's, such as a {@code main}
     *     that returns (the writer is a daemon thread, and lets lines gather before it writes)
     */
    StdoutSink(Supplier<? extends OutputStream> out, int capacity, boolean flushAtExit) {
        this.out = out;
        this.capacity = capacity;
        this.flushAtExit = flushAtExit;
    }

    private void flushAtExit() {
        try {
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("skiff-stdout-exit").unstarted(
                    () -> flush(EXIT_FLUSH)));
        } catch (IllegalStateException exiting) {
            // The first line came while the JVM exits: Skiff's shutdown flushes, or nothing does.
        }
    }

    /** {@return the lines dropped since the process started, because stdout did not drain} */
    long dropped() {
        return dropped.get();
    }

    /** Sets what is told when stdout drains again after lines were dropped. */
    void onRecovery(Recovery recovery) {
        this.recovery = recovery;
    }

    /**
     * Keeps the lines from now on waiting until {@link #release}: for a process that does not yet
     * know whether its stdout is the log's or a command's result. They wait within the capacity.
     */
    void hold() {
        lock.lock();
        try {
            held = true;
        } finally {
            lock.unlock();
        }
    }

    /** {@return whether lines are being held (see {@link #hold})} */
    boolean isHeld() {
        lock.lock();
        try {
            return held;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes what waited, and every line after it, to {@code target}.
     *
     * @param target the stream from now on, or null to keep the one there is
     */
    void release(Supplier<? extends OutputStream> target) {
        lock.lock();
        try {
            if (target != null) {
                out = target;
            }
            held = false;
            progress = System.nanoTime();
            waiting.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Hands one encoded line to the writer, or drops it when {@value #CAPACITY} bytes already wait. */
    void write(byte[] line) {
        write(line, line.length);
    }

    /**
     * Hands the first {@code length} bytes of {@code line}, one or more whole lines, to the writer,
     * copied once into what waits; or drops them when {@value #CAPACITY} bytes already wait.
     */
    void write(byte[] line, int length) {
        lock.lock();
        try {
            long waitedSince = 0;
            while (size + length > capacity) {
                long now = System.nanoTime();
                if (waitedSince == 0) {
                    waitedSince = now;
                }
                long stalled = now - progress;
                long waited = now - waitedSince;
                if (length > capacity || dropping || stalled >= STALL || waited >= MAX_WAIT) {
                    // stdout takes nothing, or too slowly for a caller to wait on: the line is
                    // dropped, and so are the next ones at once until the writer frees room.
                    if (droppedSince == 0) {
                        firstDropAt = now;
                    }
                    dropping = true;
                    droppedSince++;
                    dropped.incrementAndGet();
                    return;
                }
                // stdout drains: wait a little for room, as a synchronous appender would.
                written.awaitNanos(Math.min(TimeUnit.MILLISECONDS.toNanos(10), Math.min(STALL - stalled, MAX_WAIT - waited)));
            }
            if (size + length > pending.length) {
                byte[] larger = new byte[Math.min(capacity, Math.max(pending.length * 2, size + length))];
                System.arraycopy(pending, 0, larger, 0, size);
                pending = larger;
            }
            System.arraycopy(line, 0, pending, size, length);
            size += length;
            if (writer == null || writerIdle) {
                // A writer with nothing to do was not stalled: its silence so far says nothing of stdout.
                progress = System.nanoTime();
            }
            if (writer == null) {
                writer = Thread.ofPlatform().name("skiff-stdout").daemon().start(this::writeLoop);
                if (flushAtExit) {
                    flushAtExit();
                }
            } else if (writerIdle || (gathering && size >= GATHER_BYTES)) {
                waiting.signal();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the line is lost with the thread's work
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every line logged before the call is written, or the deadline passes.
     *
     * @param timeout the most to wait
     * @return whether everything was written
     */
    boolean flush(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        flushing++;
        try {
            if (gathering) {
                waiting.signal();
            }
            while ((size > 0 && !held) || busy) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                written.awaitNanos(left);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return size == 0 && !busy;
        } finally {
            flushing--;
            lock.unlock();
        }
    }

    private void writeLoop() {
        while (true) {
            int length;
            long droppedLines;
            long stalledNanos;
            lock.lock();
            try {
                busy = false;
                written.signalAll();
                do {
                    while (size == 0 || held) {
                        writerIdle = true;
                        waiting.awaitUninterruptibly();
                        writerIdle = false;
                    }
                    gather();
                } while (size == 0 || held);
                progress = System.nanoTime();
                dropping = false;
                byte[] taken = pending;
                pending = writing;
                writing = taken;
                length = size;
                size = 0;
                busy = true;
                droppedLines = droppedSince;
                stalledNanos = droppedLines > 0 ? System.nanoTime() - firstDropAt : 0;
                droppedSince = 0;
            } finally {
                lock.unlock();
            }
            writePieces(writing, length);
            if (droppedLines > 0) {
                // Said once stdout takes lines again, after the lines that waited: in order.
                recovery.recovered(droppedLines, TimeUnit.NANOSECONDS.toMillis(stalledNanos));
            }
        }
    }

    /**
     * Lets the lines logged in the next moment join the one that woke the writer, so that they go
     * out in one write. Called with the lock held; returns early for a flush, a release of held
     * lines, or {@value #GATHER_BYTES} bytes waiting.
     */
    private void gather() {
        long left = GATHER_NANOS;
        gathering = true;
        try {
            while (left > 0 && flushing == 0 && size < GATHER_BYTES && size > 0 && !held) {
                left = waiting.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the writer's thread is never interrupted; write what waits
        } finally {
            gathering = false;
        }
    }

    /** Writes the lines in pieces of whole lines of at most {@link #ATOMIC_WRITE} bytes. */
    private void writePieces(byte[] lines, int length) {
        OutputStream stream = out.get();
        try {
            int start = 0;
            while (start < length) {
                int end = length;
                if (end - start > ATOMIC_WRITE) {
                    end = afterLastNewline(lines, start, start + ATOMIC_WRITE);
                    if (end == start) {
                        end = afterNextNewline(lines, start + ATOMIC_WRITE, length);
                    }
                }
                stream.write(lines, start, end - start);
                progress = System.nanoTime();
                start = end;
            }
            stream.flush();
        } catch (IOException e) {
            // stdout is closed: nothing can be said about it anywhere. The lines are gone.
        }
    }

    private static int afterLastNewline(byte[] lines, int from, int to) {
        for (int i = to - 1; i >= from; i--) {
            if (lines[i] == '\n') {
                return i + 1;
            }
        }
        return from;
    }

    private static int afterNextNewline(byte[] lines, int from, int length) {
        for (int i = from; i < length; i++) {
            if (lines[i] == '\n') {
                return i + 1;
            }
        }
        return length;
    }
}
