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

/** Lines logged on an event loop's thread wait for the end of its round; order and content are kept. */
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

        assertThat(writes).hasSize(1);
        assertThat(messages(writes.getFirst())).containsExactly("first", "second");
    }

    @Test
    void anotherThreadsLineComesAfterTheWaitingOnesInTheSameWrite() throws Exception {
        onLoopThread(roundEnd::add, () -> log.info("from the loop"));
        log.info("from elsewhere");

        assertThat(writes).hasSize(1);
        assertThat(messages(writes.getFirst())).containsExactly("from the loop", "from elsewhere");
        roundEnd.poll().run();
        assertThat(writes).as("the queued flush finds nothing left").hasSize(1);
    }

    @Test
    void aLoopThatTakesNoMoreTasksHasItsLineWrittenAtOnce() throws Exception {
        onLoopThread(task -> {
            throw new RejectedExecutionException("the loop is shutting down");
        }, () -> log.info("while stopping"));

        assertThat(writes).hasSize(1);
        assertThat(messages(writes.getFirst())).containsExactly("while stopping");
    }

    @Test
    void linesBeyondTheWaitingLimitAreWrittenAtOnceInOrder() throws Exception {
        String big = "x".repeat(20_000);
        onLoopThread(roundEnd::add, () -> {
            for (int i = 0; i < 5; i++) {
                log.info("{} {}", i, big);
            }
        });

        assertThat(writes).as("64 KiB may wait: the fourth 20 KB line is written at once, after the three before it")
                .hasSize(2);
        roundEnd.poll().run();
        assertThat(writes).as("the fifth waited for the end of the round").hasSize(3);
        List<String> all = writes.stream().flatMap(written -> messages(written).stream()).toList();
        assertThat(all).extracting(m -> m.substring(0, 1)).containsExactly("0", "1", "2", "3", "4");
    }

    @Test
    void stoppingTheOutputWritesWhatWaits() throws Exception {
        onLoopThread(roundEnd::add, () -> log.info("last words"));

        StdoutSink.INSTANCE.flush(); // what the appender's stop does, the last step of shutdown

        assertThat(writes).hasSize(1);
        assertThat(messages(writes.getFirst())).containsExactly("last words");
    }

    /** Runs the work on a thread of its own, marked as an event loop's with the given round end. */
    private static void onLoopThread(java.util.concurrent.Executor loop, Runnable work) throws InterruptedException {
        Thread thread = Thread.ofPlatform().start(() -> {
            Logging.batchLinesOnThisThread(loop);
            work.run();
        });
        thread.join();
    }

    private static List<String> messages(String written) {
        return written.lines().map(line -> {
            int start = line.indexOf("\"message\":\"") + "\"message\":\"".length();
            return line.substring(start, line.indexOf('"', start));
        }).toList();
    }
}
