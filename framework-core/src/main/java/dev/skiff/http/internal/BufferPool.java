package dev.skiff.http.internal;

import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.DefaultByteBufferPool;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The direct buffers connections read and write through, kept for reuse up to a number and
 * otherwise left to the garbage collector. Undertow's own pool frees a buffer it does not keep at
 * once, through {@code sun.misc.Unsafe.invokeCleaner} — and with the unbounded setting
 * {@code Undertow.builder()} uses, it keeps none but a few per thread — so under load JDK 24+
 * prints a deprecation warning on stderr. The collector frees a dropped direct buffer too, later.
 */
final class BufferPool implements ByteBufferPool {

    private final int bufferSize;
    private final int maxKept;
    private final ConcurrentLinkedQueue<ByteBuffer> kept = new ConcurrentLinkedQueue<>();
    /**
     * A few buffers per platform thread — the I/O threads, which take and give back a buffer for
     * every read and write — so the common path touches no shared queue. Virtual threads live for
     * one request and use the shared queue only.
     */
    private final ThreadLocal<ArrayDeque<ByteBuffer>> local = ThreadLocal.withInitial(ArrayDeque::new);
    private static final int LOCAL = 4;
    private final AtomicInteger keptCount = new AtomicInteger();
    private final ByteBufferPool arrayBacked;

    /**
     * @param bufferSize the size of each buffer
     * @param maxKept how many free buffers are kept for reuse (their memory stays reserved)
     */
    BufferPool(int bufferSize, int maxKept) {
        this.bufferSize = bufferSize;
        this.maxKept = maxKept;
        // Heap buffers are never freed by hand, so Undertow's pool is safe for them.
        this.arrayBacked = new DefaultByteBufferPool(false, bufferSize, maxKept, 4);
    }

    @Override
    public PooledByteBuffer allocate() {
        ByteBuffer buffer = null;
        if (!Thread.currentThread().isVirtual()) {
            buffer = local.get().pollLast();
        }
        if (buffer == null) {
            buffer = kept.poll();
        } else {
            return new Pooled(buffer);
        }
        if (buffer == null) {
            buffer = ByteBuffer.allocateDirect(bufferSize);
        } else {
            keptCount.decrementAndGet();
            buffer.clear();
        }
        return new Pooled(buffer);
    }

    private void giveBack(ByteBuffer buffer) {
        if (!Thread.currentThread().isVirtual()) {
            ArrayDeque<ByteBuffer> mine = local.get();
            if (mine.size() < LOCAL) {
                buffer.clear();
                mine.addLast(buffer);
                return;
            }
        }
        if (keptCount.incrementAndGet() <= maxKept) {
            kept.offer(buffer);
        } else {
            keptCount.decrementAndGet(); // dropped: the collector frees it
        }
    }

    @Override
    public ByteBufferPool getArrayBackedPool() {
        return arrayBacked;
    }

    @Override
    public void close() {
        kept.clear();
        keptCount.set(0);
        arrayBacked.close();
    }

    @Override
    public int getBufferSize() {
        return bufferSize;
    }

    @Override
    public boolean isDirect() {
        return true;
    }

    private final class Pooled implements PooledByteBuffer {

        private final ByteBuffer buffer;
        private final AtomicBoolean open = new AtomicBoolean(true);

        Pooled(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public ByteBuffer getBuffer() {
            if (!open.get()) {
                throw new IllegalStateException("the buffer was given back to the pool");
            }
            return buffer;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false)) {
                giveBack(buffer);
            }
        }

        @Override
        public boolean isOpen() {
            return open.get();
        }
    }
}
