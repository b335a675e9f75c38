package dev.skiff.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Lines go out in order, in whole-line writes, from a thread of the sink's own; a stdout that does
 * not drain costs lines, counted and reported, never the thread that logs.
 */
class StdoutSinkTest {

    /** Every write call the stream gets, as text; writes block while {@link #open} is not counted down. */
    private final List<String> writes = Collections.synchronizedList(new ArrayList<>());
    private final CountDownLatch open = new CountDownLatch(1);
    private final OutputStream stream = new OutputStream() {
        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writes.add(new String(b, off, len, StandardCharsets.UTF_8));
        }
    };

    private static byte[] line(String text) {
        return (text + "\n").getBytes(StandardCharsets.UTF_8);
    }

    private List<String> lines() {
        synchronized (writes) {
            return writes.stream().flatMap(String::lines).toList();
        }
    }

    @Test
    void linesGoOutInOrderInWholeLinesOfAtMostWhatAPipeWritesWhole() {
        var sink = new StdoutSink(() -> stream, StdoutSink.CAPACITY);
        String longLine = "y".repeat(10_000);
        for (int i = 0; i < 100; i++) {
            sink.write(line(i + " " + (i == 50 ? longLine : "x".repeat(i))));
        }
        open.countDown();
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();

        assertThat(writes).allSatisfy(written -> {
            assertThat(written).endsWith("\n");
            if (!written.contains(longLine)) {
                assertThat(written.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(StdoutSink.ATOMIC_WRITE);
            }
        });
        assertThat(writes).as("fewer writes than lines").hasSizeLessThan(100);
        assertThat(lines()).hasSize(100).extracting(l -> Integer.parseInt(l.substring(0, l.indexOf(' '))))
                .isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aStdoutThatDoesNotDrainCostsLinesNeverTheCallerAndTheLossIsToldOnceItDrains() throws Exception {
        var sink = new StdoutSink(() -> stream, 64 * 1024);
        var told = new AtomicLong();
        sink.onRecovery((dropped, millis) -> {
            told.set(dropped);
            sink.write(line("dropped " + dropped));
        });
        byte[] kibibyte = line("z".repeat(1023));
        long start = System.nanoTime();
        for (int i = 0; i < 1_000; i++) {
            sink.write(kibibyte); // stdout is blocked: the first line waits in the writer's write
        }
        assertThat(System.nanoTime() - start).as("1,000 log calls against a blocked stdout returned")
                .isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(sink.flush(Duration.ofMillis(200))).as("the final flush gives up at its deadline").isFalse();
        long dropped = sink.dropped();
        // 64 lines wait, and what the writer took before it blocked (at most as many): the rest is dropped.
        assertThat(dropped).as("64 KiB wait, the rest is dropped").isBetween(1_000L - 128, 1_000L - 64);

        open.countDown();
        await().atMost(Duration.ofSeconds(10)).until(() -> told.get() > 0);
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(told.get()).isEqualTo(dropped);
        List<String> lines = lines();
        assertThat(lines).hasSize((int) (1_000 - dropped) + 1);
        assertThat(lines.getLast()).isEqualTo("dropped " + dropped);
    }

    @Test
    void linesLoggedOneByOneShareWritesRatherThanWakeTheWriterEach() {
        var sink = new StdoutSink(() -> stream, StdoutSink.CAPACITY);
        open.countDown();
        // A steady service: a line every 50 µs for 20 ms, each after the writer has gone idle.
        for (int i = 0; i < 400; i++) {
            sink.write(line("request " + i));
            long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(50);
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
        }
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(lines()).hasSize(400).startsWith("request 0").endsWith("request 399");
        // One write per line would be 400; a millisecond's lines share one write.
        assertThat(writes.size()).isLessThan(100);
    }

    @Test
    void flushWaitsForWhatWasLogged() {
        var sink = new StdoutSink(() -> stream, StdoutSink.CAPACITY);
        open.countDown();
        sink.write(line("last words"));
        assertThat(sink.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(lines()).containsExactly("last words");
    }

    @Test
    void aStdoutThatDrainsTooSlowlyHoldsNoLogCallMoreThanASecond() {
        // 4 KiB every 150 ms: alive, but 27 KB/s.
        OutputStream slow = new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    Thread.sleep(150L * Math.max(1, len / 4096));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        var sink = new StdoutSink(() -> slow, 64 * 1024);
        byte[] kibibyte = line("z".repeat(1023));
        long longest = 0;
        for (int i = 0; i < 400; i++) {
            long start = System.nanoTime();
            sink.write(kibibyte);
            longest = Math.max(longest, System.nanoTime() - start);
        }
        assertThat(longest).as("the longest log call, in ns").isLessThan(TimeUnit.MILLISECONDS.toNanos(1_500));
        assertThat(sink.dropped()).isPositive();
    }
}
