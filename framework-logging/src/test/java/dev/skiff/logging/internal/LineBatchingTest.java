package dev.skiff.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Lines logged in a round of an event loop wait for the end of the round; order and content are kept. */
class LineBatchingTest {

    private static final Logger log = LoggerFactory.getLogger("batching");

    /** Every write call stdout gets, as text. */
    private final List<String> writes = new ArrayList<>();
    private final ConcurrentLinkedQueue<Runnable> roundEnd = new ConcurrentLinkedQueue<>();
    private PrintStream original;

    @BeforeEach
    void captureStdout() {
        original = System.out;
        System.setOut(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writes.add(new String(b, off, len, StandardCharsets.UTF_8));
            }
        }, true));
    }

    @AfterEach
    void restoreStdout() {
        StdoutSink.INSTANCE.flush();
        System.setOut(original);
    }

    @Test
    void aLoopsLinesWaitForTheEndOfItsRoundAndGoOutInOneWrite() throws Exception {
        onLoopThread(roundEnd::add, () -> {
            log.info("first");
            log.info("second");
        });
        assertThat(writes).as("nothing written before the round ends").isEmpty();
        assertThat(roundEnd).as("one flush queued for the round, not one per line").hasSize(1);

        roundEnd.poll().run();

        assertOneWriteOf("first", "second");
    }

    @Test
    void aLineLoggedOutsideTheRoundsCallIsWrittenAtOnceAfterTheWaitingOnes() throws Exception {
        Thread thread = Thread.ofPlatform().start(() -> {
            Logging.atRoundEnd(roundEnd::add, () -> log.info("access"));
            log.info("the handler's own line");
        });
        thread.join();

        assertOneWriteOf("access", "the handler's own line");
        roundEnd.poll().run();
        assertThat(writes).as("the queued flush finds nothing left").hasSize(1);
    }

    @Test
    void anotherThreadsLineComesAfterTheWaitingOnesInTheSameWrite() throws Exception {
        onLoopThread(roundEnd::add, () -> log.info("from the loop"));
        log.info("from elsewhere");

        assertOneWriteOf("from the loop", "from elsewhere");
    }

    @Test
    void eachLoopQueuesItsOwnFlushSoNoLineWaitsForAnotherLoopsRound() throws Exception {
        var otherRoundEnd = new ConcurrentLinkedQueue<Runnable>();
        onLoopThread(roundEnd::add, () -> log.info("loop one"));
        onLoopThread(otherRoundEnd::add, () -> log.info("loop two"));

        assertThat(roundEnd).hasSize(1);
        assertThat(otherRoundEnd).as("the second loop queued a flush too").hasSize(1);
        otherRoundEnd.poll().run();
        assertOneWriteOf("loop one", "loop two");
    }

    @Test
    void aLoopThatTakesNoMoreTasksHasItsLineWrittenAtOnce() throws Exception {
        onLoopThread(task -> {
            throw new RejectedExecutionException("the loop is shutting down");
        }, () -> log.info("while stopping"));

        assertOneWriteOf("while stopping");
    }

    @Test
    void waitingLinesGoOutInWholeLinesOfAtMostWhatAPipeWritesWhole() throws Exception {
        String longLine = "y".repeat(10_000);
        onLoopThread(roundEnd::add, () -> {
            for (int i = 0; i < 100; i++) {
                log.info("{} {}", i, i == 50 ? longLine : "x".repeat(i));
            }
        });

        roundEnd.poll().run();

        assertThat(writes).as("fewer writes than lines").hasSizeLessThan(40);
        assertThat(writes).allSatisfy(written -> {
            assertThat(written).endsWith("\n");
            if (!written.contains(longLine)) {
                assertThat(written.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(StdoutSink.ATOMIC_WRITE);
            }
        });
        assertThat(writes).filteredOn(written -> written.contains(longLine)).singleElement()
                .satisfies(written -> assertThat(written.lines()).hasSize(1));
        List<String> all = writes.stream().flatMap(written -> messages(written).stream()).toList();
        assertThat(all).hasSize(100);
        assertThat(all).extracting(m -> Integer.parseInt(m.substring(0, m.indexOf(' '))))
                .isSorted().doesNotHaveDuplicates();
    }

    @Test
    void beyondSixtyFourKibibytesWaitingALineIsWrittenAtOnceInOrder() throws Exception {
        String big = "x".repeat(20_000);
        onLoopThread(roundEnd::add, () -> {
            for (int i = 0; i < 5; i++) {
                log.info("{} {}", i, big);
            }
        });

        assertThat(writes.stream().mapToLong(written -> written.lines().count()).sum())
                .as("the fourth 20 KB line did not fit: it went out at once, after the three before it").isEqualTo(4);
        roundEnd.poll().run();
        List<String> all = writes.stream().flatMap(written -> messages(written).stream()).toList();
        assertThat(all).extracting(m -> m.substring(0, 1)).containsExactly("0", "1", "2", "3", "4");
    }

    @Test
    void stoppingTheOutputWritesWhatWaits() throws Exception {
        onLoopThread(roundEnd::add, () -> log.info("last words"));

        StdoutSink.INSTANCE.flush(); // what the appender's stop does, the last step of shutdown

        assertOneWriteOf("last words");
    }

    /** Runs the logging on a thread of its own, inside a round of a loop with the given round end. */
    private static void onLoopThread(java.util.concurrent.Executor loop, Runnable logging) throws InterruptedException {
        Thread thread = Thread.ofPlatform().start(() -> Logging.atRoundEnd(loop, logging));
        thread.join();
    }

    /** Asserts that stdout got one write, holding these messages' lines in this order. */
    private void assertOneWriteOf(String... lines) {
        assertThat(writes).hasSize(1);
        assertThat(messages(writes.getFirst())).containsExactly(lines);
    }

    private static List<String> messages(String written) {
        return written.lines().map(line -> {
            int start = line.indexOf("\"message\":\"") + "\"message\":\"".length();
            return line.substring(start, line.indexOf('"', start));
        }).toList();
    }
}
