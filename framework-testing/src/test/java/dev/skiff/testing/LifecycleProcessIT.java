package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Startup and shutdown of a real child JVM under real signals, read from its JSON log. */
class LifecycleProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static AppProcess start(String... env) {
        var vars = new HashMap<String, String>();
        vars.put("PORT", "0");
        vars.put("SERVICE_NAME", "lifecycle-app");
        for (int i = 0; i < env.length; i += 2) {
            vars.put(env[i], env[i + 1]);
        }
        return AppProcess.startClass(LifecycleApp.class, vars);
    }

    private int status(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private JsonNode body(URI uri) throws Exception {
        return new ObjectMapper().readTree(http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    /** The messages, in order, of the events that start with one of the prefixes; times read "N ms". */
    private static List<String> messages(AppProcess app, String... prefixes) {
        return app.events().stream().map(e -> e.message())
                .filter(m -> java.util.Arrays.stream(prefixes).anyMatch(m::startsWith))
                .map(m -> m.replaceAll("\\d+ ms", "N ms")).toList();
    }

    private URI ready(AppProcess app) {
        URI base = app.awaitListening(WAIT);
        await().atMost(WAIT).until(() -> status(base.resolve("/health/ready")) == 200);
        return base;
    }

    @Test
    void sigtermDrainsWhileServingThenStopsInReverseAndExitsZero() throws Exception {
        try (var app = start("SHUTDOWN_DRAIN_DELAY", "2s")) {
            URI base = ready(app);

            app.signal(AppProcess.Signal.TERM);
            app.awaitEvent(e -> e.message().startsWith("draining"), WAIT);
            assertThat(status(base.resolve("/health/ready"))).as("readiness while draining").isEqualTo(503);
            assertThat(status(base.resolve("/health/live"))).as("liveness while draining").isEqualTo(200);
            assertThat(status(base.resolve("/hello"))).as("a request while draining").isEqualTo(200);

            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
            assertThat(messages(app, "started", "received", "draining", "stopped")).containsExactly(
                    "started alpha in N ms", "started beta in N ms", "started http in N ms", "started in N ms", "received SIGTERM: shutting down",
                    "draining: readiness is down, serving for N ms more", "stopped http in N ms", "stopped beta in N ms",
                    "stopped alpha in N ms", "stopped cleanly in N ms");
        }
    }

    @Test
    void aComponentThatThrowsInStartStopsWhatStartedAndExitsOne() {
        try (var app = start("FAIL_START", "beta")) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            assertThat(messages(app, "started", "component", "stopped", "lifecycle-app did not start")).containsExactly(
                    "started alpha in N ms",
                    "component beta failed to start after N ms: java.lang.IllegalStateException: beta cannot reach its broker",
                    "stopped alpha in N ms",
                    "lifecycle-app did not start: component 'beta' failed to start: java.lang.IllegalStateException:"
                            + " beta cannot reach its broker");
        }
    }

    @Test
    void aComponentThatHangsInStartIsNamedWhenTheStartupBudgetRunsOut() {
        try (var app = start("HANG_START", "beta", "STARTUP_TIMEOUT", "1s")) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            assertThat(messages(app, "started", "startup did not", "stopped", "lifecycle-app did not start"))
                    .containsExactly("started alpha in N ms",
                            "startup did not finish within N ms: 'start beta' is still running",
                            "stopped alpha in N ms",
                            "lifecycle-app did not start: component 'beta' failed to start:"
                                    + " java.util.concurrent.TimeoutException: did not start within N ms");
        }
    }

    @Test
    void aComponentThatThrowsInStopIsReportedTheOthersStillStopAndTheExitIsOne() {
        try (var app = start("FAIL_STOP", "beta")) {
            ready(app);
            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            assertThat(messages(app, "stopped", "component")).containsExactly(
                    "stopped http in N ms", "component beta failed to stop after N ms", "stopped alpha in N ms",
                    "stopped with problems after N ms: abandoned nothing, failures [beta: java.lang.IllegalStateException:"
                            + " beta could not flush its buffer], 0 requests active");
            LogEvent last = app.events().getLast();
            assertThat(last.message()).contains("failures [beta: java.lang.IllegalStateException:"
                    + " beta could not flush its buffer]");
            assertThat(last.field("exit_code")).contains(1);
        }
    }

    @Test
    void aComponentThatHangsInStopIsAbandonedWhenTheBudgetRunsOut() {
        try (var app = start("HANG_STOP", "alpha", "SHUTDOWN_TIMEOUT", "1s")) {
            ready(app);
            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            assertThat(messages(app, "stopped", "'stop")).containsExactly(
                    "stopped http in N ms", "stopped beta in N ms",
                    "'stop alpha' did not finish within its N ms of the shutdown budget: left behind; the components"
                            + " started before it stop now",
                    "stopped with problems after N ms: abandoned stop alpha, failures [], 0 requests active");
            assertThat(app.events().getLast().message()).contains("abandoned stop alpha");
        }
    }

    @Test
    void aFailingOrHangingCheckTakesReadinessDownWithItsReasonAndNeverLiveness() throws Exception {
        try (var failing = start("CHECK", "throw"); var hanging = start("CHECK", "hang")) {
            URI failingBase = failing.awaitListening(WAIT);
            URI hangingBase = hanging.awaitListening(WAIT);
            failing.awaitEvent(e -> e.message().startsWith("started in"), WAIT);
            hanging.awaitEvent(e -> e.message().startsWith("started in"), WAIT);

            assertThat(status(failingBase.resolve("/health/ready"))).isEqualTo(503);
            assertThat(body(failingBase.resolve("/health/ready")).at("/checks/backend/error").asText())
                    .isEqualTo("failed");
            // What the check threw is in the log, once, and never in the public probe's body.
            failing.awaitEvent(e -> e.message()
                    .equals("readiness check 'backend' is down: IllegalStateException: backend refused the connection"), WAIT);
            assertThat(status(hangingBase.resolve("/health/ready"))).isEqualTo(503);
            assertThat(body(hangingBase.resolve("/health/ready")).at("/checks/backend/error").asText())
                    .isEqualTo("timed out after 800 ms");
            assertThat(status(failingBase.resolve("/health/live"))).isEqualTo(200);
            assertThat(status(hangingBase.resolve("/health/live"))).isEqualTo(200);

            failing.signal(AppProcess.Signal.TERM);
            hanging.signal(AppProcess.Signal.TERM);
            assertThat(failing.awaitExit(WAIT)).isEqualTo(0);
            assertThat(hanging.awaitExit(WAIT)).isEqualTo(0);
        }
    }

    @Test
    void sigtermDuringStartupLetsTheStartingComponentFinishThenStopsWithoutServing() {
        try (var app = start("SLOW_START", "beta:3000")) {
            app.awaitEvent(e -> e.message().startsWith("started alpha"), WAIT);
            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
            assertThat(messages(app, "started", "received", "waiting", "shutdown requested", "draining", "stopped"))
                    .containsExactly("started alpha in N ms", "received SIGTERM: shutting down",
                            "waiting for the component that is starting to finish before stopping", "started beta in N ms",
                            "shutdown requested during startup; not starting the remaining components",
                            "draining: not needed, the service was never ready, so nothing routes here",
                            "stopped beta in N ms",
                            "stopped alpha in N ms", "stopped cleanly in N ms");
        }
    }

    @Test
    void sigtermDuringAStartThatHangsEndsTheProcessWithinTheShutdownBudgetNotTheStartupBudget() {
        // A startup budget far beyond the test's wait: only the shutdown's 2 s can end the process in time.
        try (var app = start("HANG_START", "beta", "STARTUP_TIMEOUT", "10m", "SHUTDOWN_TIMEOUT", "2s")) {
            app.awaitEvent(e -> e.message().startsWith("started alpha"), WAIT);
            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            assertThat(app.events()).anyMatch(e -> e.message().startsWith(
                    "'start beta' did not finish within its share of the shutdown budget: left behind"))
                    .last().satisfies(e -> assertThat(e.message()).startsWith("stopped with problems"));
        }
    }

    @Test
    void aStartThatFailsWhileASigtermIsUnderWayIsStillAFailure() {
        try (var app = start("SLOW_START", "beta:2000", "FAIL_START", "beta")) {
            app.awaitEvent(e -> e.message().startsWith("started alpha"), WAIT);
            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            assertThat(app.events()).filteredOn(e -> e.level().equals("ERROR")).singleElement()
                    .satisfies(e -> assertThat(e.message()).startsWith("lifecycle-app did not start: "));
        }
    }

    @Test
    void aSecondSigtermDuringShutdownIsLoggedAndChangesNothing() {
        try (var app = start("SHUTDOWN_DRAIN_DELAY", "2s")) {
            ready(app);
            app.signal(AppProcess.Signal.TERM);
            app.awaitEvent(e -> e.message().startsWith("draining"), WAIT);
            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
            assertThat(messages(app, "received", "stopped cleanly")).containsExactly(
                    "received SIGTERM: shutting down",
                    "received SIGTERM during shutdown: the shutdown under way goes on unchanged",
                    "stopped cleanly in N ms");
        }
    }

    @Test
    void sigintStopsItCleanlyToo() {
        try (var app = start()) {
            ready(app);
            app.signal(AppProcess.Signal.INT);

            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
            assertThat(messages(app, "received")).containsExactly("received SIGINT: shutting down");
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"-Xrs", "-XX:+ReduceSignalUsage"})
    void aJvmThatKeepsTheSignalsIsNamedAsOneThatCannotDrain(String option) {
        // Either option leaves SIGTERM to the operating system: no handler, no shutdown hook, no drain.
        try (var app = start("JAVA_TOOL_OPTIONS", option)) {
            ready(app);
            assertThat(app.events()).anySatisfy(event -> {
                assertThat(event.level()).isEqualTo("WARN");
                assertThat(event.message()).startsWith("the JVM keeps SIGTERM and SIGINT from Java (-Xrs or"
                        + " -XX:+ReduceSignalUsage): either ends this process at once");
            });
            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(143);
            assertThat(messages(app, "received", "stopped")).isEmpty();
        }
    }

    @Test
    void aThreadDumpOnSigquitGoesToStderrAndStdoutStaysJson() {
        // Started as the sample's Dockerfile and Procfile start a service: -XX:+DisplayVMOutputToStderr.
        try (var app = start()) {
            ready(app);
            app.signal(AppProcess.Signal.QUIT);
            await().atMost(WAIT).until(() -> app.stderrLines().stream().anyMatch(line -> line.startsWith("Full thread dump")));
            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
            assertThat(app.stdoutLines()).isNotEmpty()
                    .allSatisfy(line -> assertThat(line).startsWith("{\"@timestamp\"").endsWith("}"));
        }
    }
}
