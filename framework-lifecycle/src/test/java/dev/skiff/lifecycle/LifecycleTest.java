package dev.skiff.lifecycle;

import dev.skiff.lifecycle.internal.HealthReport;
import dev.skiff.lifecycle.internal.HealthSettings;
import dev.skiff.lifecycle.internal.HealthStatus;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.lifecycle.internal.ShutdownSettings;
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
        return Lifecycle.create(new ShutdownSettings(Duration.ZERO, timeout), HealthSettings.DEFAULTS);
    }

    @Test
    void startsInOrderAndStopsInReverse() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(recording("a")).register(recording("b")).register(recording("c"));
        List<HealthState> states = Collections.synchronizedList(new ArrayList<>());
        lifecycle.onStateChange(states::add);

        lifecycle.start(Duration.ofSeconds(5));
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

        assertThatThrownBy(() -> lifecycle.start(Duration.ofSeconds(5)))
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
        lifecycle.start(Duration.ofSeconds(5));

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
        lifecycle.start(Duration.ofSeconds(5));

        ShutdownResult result = lifecycle.shutdown();
        release.countDown();

        assertThat(result.abandonedStep()).contains("stop hangs");
        assertThat(result.clean()).isFalse();
    }

    @Test
    void aSecondShutdownChangesNothingAndGetsTheSameResult() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(recording("a"));
        lifecycle.start(Duration.ofSeconds(5));

        ShutdownResult first = lifecycle.shutdown();
        ShutdownResult second = lifecycle.shutdown();

        assertThat(second).isEqualTo(first);
        assertThat(events).containsExactly("start a", "stop a");
    }

    @Test
    void aWatchingDrainIsGivenFourFifthsOfTheBudgetAndIsAskedOnlyWhenTheServiceWasReady() {
        var settings = new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(8), true);
        assertThat(settings.maxDrain()).isEqualTo(Duration.ofMillis(6_400));
        assertThat(new ShutdownSettings(Duration.ofSeconds(5), Duration.ofSeconds(28), true).maxDrain())
                .isEqualTo(Duration.ofMillis(22_400));
        assertThat(new ShutdownSettings(Duration.ZERO, Duration.ofMillis(1_500), true).maxDrain())
                .as("a short budget keeps half of it").isEqualTo(Duration.ofMillis(750));

        List<Duration> asked = Collections.synchronizedList(new ArrayList<>());
        Lifecycle ready = Lifecycle.create(settings, HealthSettings.DEFAULTS);
        ready.drainWith(asked::add);
        ready.start(Duration.ofSeconds(5));
        ready.shutdown();
        assertThat(asked).singleElement().satisfies(max -> assertThat(max)
                .isLessThanOrEqualTo(Duration.ofMillis(6_400)).isGreaterThan(Duration.ofMillis(5_000)));

        Lifecycle neverReady = Lifecycle.create(settings, HealthSettings.DEFAULTS);
        neverReady.drainWith(asked::add);
        neverReady.shutdown();
        assertThat(asked).as("nothing routes to a service that was never ready").hasSize(1);
    }

    @Test
    void aDrainThatFailsStillLetsEveryComponentStop() {
        Lifecycle lifecycle = Lifecycle.create(new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(5), true),
                HealthSettings.DEFAULTS);
        lifecycle.register(recording("a"));
        lifecycle.drainWith(max -> {
            throw new IllegalStateException("a drain that fails");
        });
        lifecycle.start(Duration.ofSeconds(5));

        ShutdownResult result = lifecycle.shutdown();

        assertThat(result.clean()).isTrue();
        assertThat(events).containsExactly("start a", "stop a");
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }

    @Test
    void theBudgetLeftCountsFromTheStartOfTheShutdownEvenAfterAFailedStart() {
        var left = new ArrayList<Duration>();
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        assertThat(lifecycle.shutdownRemaining()).as("before any shutdown").isEqualTo(Duration.ofSeconds(5));
        lifecycle.register(new Component() {
            @Override
            public void start() {
                // started
            }

            @Override
            public void stop() {
                left.add(lifecycle.shutdownRemaining());
            }
        }).register(() -> {
            throw new IllegalStateException("b does not start");
        });

        assertThatThrownBy(() -> lifecycle.start(Duration.ofSeconds(5))).isInstanceOf(StartupException.class);
        assertThat(left).singleElement().satisfies(remaining -> assertThat(remaining)
                .isGreaterThan(Duration.ofSeconds(4)).isLessThanOrEqualTo(Duration.ofSeconds(5)));
    }

    @Test
    void theDrainDelayMustFitInsideTheBudget() {
        assertThatThrownBy(() -> new ShutdownSettings(Duration.ofSeconds(30), Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be shorter than timeout");
    }

    @Test
    void aHangingStartIsNamedWhenTheStartupBudgetRunsOutAndWhatStartedIsStopped() {
        var release = new CountDownLatch(1);
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(recording("a")).register(Component.named("stuck", release::await));

        assertThatThrownBy(() -> lifecycle.start(Duration.ofMillis(300)))
                .isInstanceOf(StartupException.class)
                .hasMessageStartingWith("component 'stuck' failed to start: java.util.concurrent.TimeoutException:"
                        + " did not start within 300 ms");
        release.countDown();
        assertThat(events).containsExactly("start a", "stop a");
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }

    @Test
    void aShutdownDuringStartupWaitsForTheStartingComponentThenStopsWhatStarted() throws Exception {
        var starting = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(recording("a")).register(Component.named("slow", () -> {
            starting.countDown();
            release.await();
            events.add("start slow");
        })).register(recording("never"));
        Thread starter = Thread.ofPlatform().start(() -> lifecycle.start(Duration.ofSeconds(5)));
        starting.await();

        var result = new java.util.concurrent.atomic.AtomicReference<ShutdownResult>();
        Thread stopper = Thread.ofPlatform().start(() -> result.set(lifecycle.shutdown()));
        // The shutdown has been requested once its caller waits for the result, while "slow" still starts.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> stopper.getState() == Thread.State.TIMED_WAITING);
        release.countDown();
        stopper.join();
        starter.join();

        assertThat(result.get().clean()).isTrue();
        assertThat(events).containsExactly("start a", "start slow", "stop a");
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }

    @Test
    void readinessNeedsReadyAndEveryCheckWhileLivenessIgnoresBackingServices() {
        Lifecycle lifecycle = Lifecycle.create(new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(5)),
                new HealthSettings(Duration.ofMillis(200), Duration.ZERO));
        var databaseUp = new java.util.concurrent.atomic.AtomicBoolean(true);
        lifecycle.readinessCheck("database", () -> {
            if (!databaseUp.get()) {
                throw new IllegalStateException("connection refused");
            }
        });
        lifecycle.livenessCheck("event-loop", () -> { });

        assertThat(lifecycle.readiness().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(lifecycle.started().status()).isEqualTo(HealthStatus.DOWN);
        lifecycle.start(Duration.ofSeconds(5));
        assertThat(lifecycle.readiness().status()).isEqualTo(HealthStatus.UP);
        assertThat(lifecycle.started().status()).isEqualTo(HealthStatus.UP);

        databaseUp.set(false);
        HealthReport ready = lifecycle.readiness();
        assertThat(ready.status()).isEqualTo(HealthStatus.DOWN);
        assertThat(ready.checks().get("database").error()).as("what it threw goes to the log only").isEqualTo("failed");
        assertThat(lifecycle.liveness().status()).isEqualTo(HealthStatus.UP);
    }

    @Test
    void aStormOfProbesRunsEachCheckOncePerCachePeriod() throws Exception {
        Lifecycle lifecycle = Lifecycle.create(new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(5)),
                new HealthSettings(Duration.ofSeconds(1), Duration.ofMinutes(1)));
        var runs = new java.util.concurrent.atomic.AtomicInteger();
        lifecycle.readinessCheck("database", () -> {
            runs.incrementAndGet();
            Thread.sleep(50);
        });
        lifecycle.start(Duration.ofSeconds(5));

        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            var answers = new ArrayList<java.util.concurrent.Future<HealthReport>>();
            for (int i = 0; i < 200; i++) {
                answers.add(pool.submit(lifecycle::readiness));
            }
            for (var answer : answers) {
                assertThat(answer.get().status()).isEqualTo(HealthStatus.UP);
            }
        }
        assertThat(runs.get()).isEqualTo(1);
    }

    @Test
    void listenersHearDrainingBeforeComponentsStop() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(recording("consumer"));
        lifecycle.onStateChange(state -> events.add("state " + state));
        lifecycle.start(Duration.ofSeconds(5));

        lifecycle.shutdown();

        assertThat(events).containsExactly("start consumer", "state READY", "state DRAINING", "stop consumer",
                "state STOPPED");
    }

    @Test
    void whatFailsWhileRollingBackAFailedStartIsKeptAsSuppressed() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(5));
        lifecycle.register(new Component() {
            @Override
            public void start() {}

            @Override
            public void stop() {
                throw new IllegalStateException("cannot close");
            }

            @Override
            public String name() {
                return "leaky";
            }
        }).register(Component.named("broken", () -> {
            throw new IllegalStateException("no disk");
        }));

        assertThatThrownBy(() -> lifecycle.start(Duration.ofSeconds(5)))
                .isInstanceOf(StartupException.class)
                .hasRootCauseMessage("no disk")
                .satisfies(e -> assertThat(e.getSuppressed()).singleElement()
                        .satisfies(s -> assertThat(s).hasMessage("cannot close")));
    }

    @Test
    void aHungStopGetsItsShareAndEveryComponentStartedBeforeItStillStops() {
        var release = new CountDownLatch(1);
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(2));
        lifecycle.register(recording("pool"))
                .register(Component.of("audit", () -> { }, release::await))
                .register(recording("http"));
        lifecycle.start(Duration.ofSeconds(5));

        long begin = System.nanoTime();
        ShutdownResult result = lifecycle.shutdown();
        Duration took = Duration.ofNanos(System.nanoTime() - begin);
        release.countDown();

        assertThat(events).containsExactly("start pool", "start http", "stop http", "stop pool");
        assertThat(result.abandonedStep()).contains("stop audit");
        assertThat(result.failures()).isEmpty();
        assertThat(took).as("the shutdown ends within its budget").isLessThan(Duration.ofMillis(2_400));
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }

    /** A failure that the test's "module" calls unavailable. */
    private static final class Unreachable extends RuntimeException {
        Unreachable() {
            super("connection refused", null, false, false);
        }
    }

    private static java.util.function.Function<Throwable, java.util.Optional<Lifecycle.Wait>> waitFor(Duration max) {
        return failure -> failure instanceof Unreachable ? java.util.Optional.of(new Lifecycle.Wait(max, "test.max-wait"))
                : java.util.Optional.empty();
    }

    @Test
    void aStartWhoseBackingServiceIsUnavailableIsTriedAgainAndTheComponentsAfterItWaitTheirTurn() {
        var attempts = new java.util.concurrent.atomic.AtomicInteger();
        List<HealthState> states = Collections.synchronizedList(new ArrayList<>());
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(2));
        lifecycle.onStateChange(states::add);
        lifecycle.register(recording("pool"))
                .register(Component.named("price-book", () -> {
                    if (attempts.incrementAndGet() < 4) {
                        events.add("price-book unavailable");
                        throw new Unreachable();
                    }
                    events.add("start price-book");
                }))
                .register(recording("orders"))
                .register(recording("http"));
        lifecycle.retryStart(waitFor(Duration.ofSeconds(30)), recording("probes"));

        lifecycle.start(Duration.ofSeconds(5));

        assertThat(events).containsExactly("start pool", "price-book unavailable", "start probes",
                "price-book unavailable", "price-book unavailable", "start price-book", "start orders", "start http");
        assertThat(lifecycle.state()).isEqualTo(HealthState.READY);
        assertThat(states).containsExactly(HealthState.READY);
        assertThat(lifecycle.waitingFor()).isEmpty();
        lifecycle.shutdown();
        assertThat(events.subList(8, events.size())).containsExactly("stop http", "stop orders",
                "stop probes", "stop pool");
    }

    @Test
    void aStartThatWaitsLongerThanItsMaximumFailsAndStopsWhatStarted() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(2));
        lifecycle.register(recording("pool")).register(Component.named("price-book", () -> {
            throw new Unreachable();
        }));
        lifecycle.retryStart(waitFor(Duration.ofMillis(600)), null);

        assertThatThrownBy(() -> lifecycle.start(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(StartupException.class, e -> assertThat(e.component()).isEqualTo("price-book"))
                .hasMessageContaining("stayed unavailable for").hasMessageContaining("test.max-wait")
                .hasRootCauseInstanceOf(Unreachable.class);
        assertThat(events).containsExactly("start pool", "stop pool");
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }

    @Test
    void aFailureNoModuleCallsUnavailableEndsTheStartAtOnce() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(2));
        var attempts = new java.util.concurrent.atomic.AtomicInteger();
        lifecycle.register(Component.named("price-book", () -> {
            attempts.incrementAndGet();
            throw new IllegalArgumentException("bad price list");
        }));
        lifecycle.retryStart(waitFor(Duration.ofSeconds(30)), null);

        assertThatThrownBy(() -> lifecycle.start(Duration.ofSeconds(5))).isInstanceOf(StartupException.class)
                .hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(attempts).hasValue(1);
    }

    @Test
    void aShutdownWhileAStartWaitsEndsTheWaitAndStopsWhatStarted() throws Exception {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(2));
        var waiting = new CountDownLatch(1);
        lifecycle.register(recording("pool")).register(Component.named("price-book", () -> {
            waiting.countDown();
            throw new Unreachable();
        })).register(recording("http"));
        lifecycle.retryStart(waitFor(Duration.ofMinutes(5)), recording("probes"));
        Thread starter = Thread.ofPlatform().start(() -> lifecycle.start(Duration.ofSeconds(5)));
        assertThat(waiting.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        while (lifecycle.waitingFor().isEmpty()) {
            Thread.sleep(10);
        }
        assertThat(lifecycle.waitingFor()).contains("price-book");
        assertThat(lifecycle.started().status()).isEqualTo(HealthStatus.DOWN);

        ShutdownResult result = lifecycle.shutdown();
        starter.join(5_000);

        assertThat(starter.isAlive()).isFalse();
        assertThat(result.clean()).isTrue();
        assertThat(events).containsExactly("start pool", "start probes", "stop probes", "stop pool");
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }

    @Test
    void aShutdownDuringAnAttemptThatThenFindsTheServiceUnavailableEndsTheWaitNotTheProcess() throws Exception {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(2));
        var attempts = new java.util.concurrent.atomic.AtomicInteger();
        var inSecondAttempt = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        lifecycle.register(recording("pool")).register(Component.named("price-book", () -> {
            if (attempts.incrementAndGet() == 2) {
                inSecondAttempt.countDown();
                release.await();
            }
            throw new Unreachable();
        }));
        lifecycle.retryStart(waitFor(Duration.ofMinutes(5)), null);
        var failure = new java.util.concurrent.atomic.AtomicReference<Throwable>();
        Thread starter = Thread.ofPlatform().start(() -> {
            try {
                lifecycle.start(Duration.ofSeconds(5));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        assertThat(inSecondAttempt.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Thread stopper = Thread.ofPlatform().start(lifecycle::shutdown);
        Thread.sleep(100);
        release.countDown();
        stopper.join(5_000);
        starter.join(5_000);

        assertThat(failure.get()).as("a stop asked for is not a failed start").isNull();
        assertThat(lifecycle.shutdown().clean()).isTrue();
        assertThat(events).containsExactly("start pool", "stop pool");
    }

    @Test
    void anErrorFromTheRuleThatClassifiesFailuresStillStopsWhatStarted() {
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(2));
        lifecycle.register(recording("pool")).register(Component.named("price-book", () -> {
            throw new Unreachable();
        }));
        lifecycle.retryStart(failure -> {
            throw new StackOverflowError("a rule that recurses");
        }, recording("probes"));

        assertThatThrownBy(() -> lifecycle.start(Duration.ofSeconds(5))).isInstanceOf(StartupException.class)
                .hasCauseInstanceOf(StackOverflowError.class);
        assertThat(events).containsExactly("start pool", "stop pool");
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }

    @Test
    void aStateListenerThatHangsOnDrainingIsLeftBehindAndEveryComponentStillStops() {
        var never = new CountDownLatch(1);
        Lifecycle lifecycle = lifecycle(Duration.ofSeconds(3));
        lifecycle.register(recording("pool")).register(recording("http"));
        lifecycle.onStateChange(state -> {
            if (state == HealthState.DRAINING) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        lifecycle.start(Duration.ofSeconds(5));

        ShutdownResult result = lifecycle.shutdown();
        never.countDown();

        assertThat(events).containsExactly("start pool", "start http", "stop http", "stop pool");
        assertThat(result.clean()).isTrue();
        assertThat(lifecycle.state()).isEqualTo(HealthState.STOPPED);
    }
}
