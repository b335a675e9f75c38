package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Scheduled work: app.every, in a started service. */
class EveryTest {

    private static final Map<String, String> QUIET = Map.of("LOG_LEVEL", "error", "SHUTDOWN_DRAIN_DELAY", "0s");

    @Test
    void runsAgainAfterAFailedRunNeverTwoAtOnceAndCountsEachByOutcome() throws Exception {
        var runs = new AtomicInteger();
        var running = new AtomicInteger();
        var overlapped = new AtomicInteger();
        var sixRuns = new CountDownLatch(6);
        try (RunningService service = Skiff.start(QUIET, app -> app.every("flaky", Duration.ofMillis(10), () -> {
            if (running.incrementAndGet() > 1) {
                overlapped.incrementAndGet();
            }
            try {
                Thread.sleep(20); // longer than the interval: the next run waits for this one
                if (runs.incrementAndGet() % 2 == 0) {
                    throw new IllegalStateException("every other run fails");
                }
            } finally {
                running.decrementAndGet();
                sixRuns.countDown();
            }
        }))) {
            assertThat(sixRuns.await(30, TimeUnit.SECONDS)).as("six runs, failures among them").isTrue();
            assertThat(overlapped.get()).as("runs that overlapped another").isZero();
            Timer failed = service.metrics().get("scheduled.task.runs").tags("task", "flaky", "outcome", "failure").timer();
            Timer succeeded = service.metrics().get("scheduled.task.runs").tags("task", "flaky", "outcome", "success").timer();
            assertThat(failed.count()).isGreaterThanOrEqualTo(2);
            assertThat(succeeded.count()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void shutdownInterruptsTheRunUnderWayAndStartsNoOther() throws Exception {
        var started = new CountDownLatch(1);
        var interrupted = new CountDownLatch(1);
        var runs = new AtomicInteger();
        RunningService service = Skiff.start(QUIET, app -> app.every("long", Duration.ofMillis(1), () -> {
            runs.incrementAndGet();
            started.countDown();
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
        }));
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();

        assertThat(service.stop().clean()).as("a clean stop, well within its budget").isTrue();

        assertThat(interrupted.getCount()).as("the run under way was interrupted").isZero();
        int after = runs.get();
        Thread.sleep(50);
        assertThat(runs.get()).as("no run after the stop").isEqualTo(after).isEqualTo(1);
    }

    @Test
    void anIntervalUnderAMillisecondIsRefusedAtSetup() {
        assertThatThrownBy(() -> Skiff.start(QUIET, app -> app.every("hot", Duration.ZERO, () -> { })))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the task hot needs an interval of 1 ms or more, got PT0S");
    }
}
