package dev.skiff.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class LifecycleTest {

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    private Component recording(String name) {
        return new Component() {
            @Override
            public void start() {
                events.add("start " + name);
            }

            @Override
            public void stop() {
                events.add("stop " + name);
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    private static Lifecycle lifecycle(Duration timeout) {
        return Lifecycle.create(new ShutdownSettings(Duration.ZERO, timeout));
    }

    @Test
    void startsInOrderAndStopsInReverse() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(recording("a")).register(recording("b")).register(recording("c"));
        List<HealthState> states = Collections.synchronizedList(new ArrayList<>());
        lifecycle.onStateChange(states::add);

        lifecycle.start();
        assertThat(lifecycle.state()).isEqualTo(HealthState.READY);
        ShutdownResult result = lifecycle.shutdown();

        assertThat(result.clean()).isTrue();
        assertThat(events).containsExactly("start a", "start b", "start c", "stop c", "stop b", "stop a");
        assertThat(states).containsExactly(HealthState.READY, HealthState.DRAINING, HealthState.STOPPED);
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }

    @Test
    void aFailedStartStopsWhatHadStartedInReverseAndNamesTheComponent() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(recording("a")).register(recording("b"))
                .register(Component.named("broken", () -> {
                    throw new IllegalStateException("no disk");
                }))
                .register(recording("never"));

        assertThatThrownBy(lifecycle::start)
                .isInstanceOf(StartupException.class)
                .hasMessage("component 'broken' failed to start: java.lang.IllegalStateException: no disk")
                .satisfies(e -> assertThat(((StartupException) e).component()).isEqualTo("broken"));
        assertThat(events).containsExactly("start a", "start b", "stop b", "stop a");
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }

    @Test
    void aFailedStopIsReportedAndTheNextComponentStillStops() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(recording("a")).register(new Component() {
            @Override
            public void start() {}

            @Override
            public void stop() {
                throw new IllegalStateException("stuck");
            }

            @Override
            public String name() {
                return "flaky";
            }
        });
        lifecycle.start();

        ShutdownResult result = lifecycle.shutdown();

        assertThat(result.clean()).isFalse();
        assertThat(result.failures()).containsExactly("flaky: java.lang.IllegalStateException: stuck");
        assertThat(events).containsExactly("start a", "stop a");
    }

    @Test
    void aHangingStopIsAbandonedWhenTheBudgetRunsOutAndNamed() throws Exception {
        var release = new CountDownLatch(1);
        Lifecycle lifecycle = lifecycle(Duration.ofMillis(300));
        lifecycle.register(Component.named("hangs", new Component() {
            @Override
            public void start() {}

            @Override
            public void stop() throws InterruptedException {
                release.await();
            }
        }));
        lifecycle.start();

        ShutdownResult result = lifecycle.shutdown();
        release.countDown();

        assertThat(result.abandonedStep()).contains("stop hangs");
        assertThat(result.clean()).isFalse();
    }

    @Test
    void aSecondShutdownChangesNothingAndGetsTheSameResult() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(recording("a"));
        lifecycle.start();

        ShutdownResult first = lifecycle.shutdown();
        ShutdownResult second = lifecycle.shutdown();

        assertThat(second).isEqualTo(first);
        assertThat(events).containsExactly("start a", "stop a");
    }

    @Test
    void theDrainDelayMustFitInsideTheBudget() {
        assertThatThrownBy(() -> new ShutdownSettings(Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be shorter than timeout");
    }
}
