package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.skiff.jdbc.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The launcher's commands, process types and database handling, in a child JVM against a real PostgreSQL. */
class AdminProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestDatabase database;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startDatabase() throws Exception {
        database = TestDatabase.start();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    private static AppProcess start(String url, String... args) {
        return start(Map.of(), url, args);
    }

    private static AppProcess start(Map<String, String> extra, String url, String... args) {
        var env = new HashMap<String, String>(extra);
        env.put("PORT", "0");
        env.put("LOG_FORMAT", "json");
        env.put("SERVICE_NAME", "database-app");
        env.put("DATABASE_URL", url);
        return AppProcess.startClass(DatabaseApp.class, env, args);
    }

    /** The messages of a command's log events, which it writes to stderr. */
    private static java.util.List<String> messages(AppProcess app) {
        return app.stderrEvents().stream().map(LogEvent::message).toList();
    }

    private static String allOutput(AppProcess app) {
        return String.join("\n", app.stdoutLines()) + "\n" + String.join("\n", app.stderrLines());
    }

    private int status(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void servesRoutesThatUseTheDatabase() throws Exception {
        try (var app = start(database.url())) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> status(base.resolve("/health/ready")) == 200);

            assertThat(status(base.resolve("/tables"))).isEqualTo(200);
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
            assertThat(allOutput(app)).doesNotContain(TestDatabase.PASSWORD);
        }
    }

    @Test
    void wrongCredentialsExitNonZeroWithOneClearErrorAndNoPassword() {
        try (var app = start(database.url().replace(TestDatabase.PASSWORD, "wrong-pass-4d1e"))) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(1);

            var errors = app.events().stream().filter(e -> e.level().equals("ERROR")).toList();
            assertThat(errors).hasSize(1);
            assertThat(String.valueOf(errors.getFirst().field("error.stack_trace").orElseThrow())).startsWith("java.sql.SQLException: ");
            assertThat(errors.getFirst().message())
                    .contains("did not start")
                    .contains("password authentication failed for user \"app\"").contains("SQLState 28P01")
                    .contains("check the user and password in DATABASE_URL");
            assertThat(allOutput(app)).doesNotContain("wrong-pass-4d1e").doesNotContain(TestDatabase.PASSWORD);
        }
    }

    @Test
    void aMalformedUrlIsAConfigurationProblemThatNamesTheVariable() {
        try (var app = start("postgres://app:" + TestDatabase.PASSWORD + "@127.0.0.1:notaport/notes")) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);

            assertThat(String.join("\n", app.stderrLines())).contains("database.url")
                    .contains("from: env var DATABASE_URL").contains("is not a number from 1 to 65535");
            assertThat(allOutput(app)).doesNotContain(TestDatabase.PASSWORD);
        }
    }

    @Test
    void checkTriesTheDatabaseAndExitsWithTheResult() throws Exception {
        try (var good = start(database.url(), "check")) {
            assertThat(good.awaitExit(WAIT)).isZero();
            assertThat(good.stdoutLines()).anyMatch(line -> line.startsWith("database") && line.contains("OK:"))
                    .contains("All checks passed.");
        }
        try (var bad = start(database.urlOnPort(TestDatabase.closedPort()), "check")) {
            assertThat(bad.awaitExit(WAIT)).isEqualTo(1);
            assertThat(bad.stdoutLines()).anyMatch(line -> line.startsWith("database") && line.contains("FAILED:")
                    && line.contains("SQLState 08001")).contains("Some checks failed.");
            assertThat(allOutput(bad)).doesNotContain(TestDatabase.PASSWORD);
        }
    }

    @Test
    void configPrintsEveryKeyWithItsOriginAndMasksThePassword() {
        try (var app = start(database.url(), "config")) {
            assertThat(app.awaitExit(WAIT)).isZero();

            assertThat(app.stdoutLines())
                    .anyMatch(line -> line.startsWith("database.url = postgres://app:******@127.0.0.1:")
                            && line.endsWith("# env var DATABASE_URL"))
                    .anyMatch(line -> line.startsWith("http.port = 0 ") && line.endsWith("# env var PORT"))
                    .anyMatch(line -> line.startsWith("database.pool-size = 10 ") && line.contains("# default"));
            assertThat(allOutput(app)).doesNotContain(TestDatabase.PASSWORD);
        }
    }

    @Test
    void helpListsTheBuiltInCommandsTheAppsCommandsAndItsProcessTypes() {
        try (var app = start(database.url(), "--help")) {
            assertThat(app.awaitExit(WAIT)).isZero();

            String help = String.join("\n", app.stdoutLines());
            assertThat(help).contains("Usage: java dev.skiff.testing.DatabaseApp [command] [arguments]")
                    .containsPattern("serve +run the service")
                    .containsPattern("worker +process the queue \\(process type\\)")
                    .containsPattern("check +validate the configuration")
                    .containsPattern("config +print the effective configuration")
                    .containsPattern("train +start, answer one request on each GET route")
                    .containsPattern("count-tables +print how many tables the database has");
        }
    }

    @Test
    void anAppCommandRunsWithTheDatabaseNoHttpAndExitsWithItsStatus() throws Exception {
        int port = TestDatabase.closedPort();
        try (var app = start(Map.of("PORT", Integer.toString(port)), database.url(), "count-tables", "--fail")) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(3);

            // stdout is the command's result alone: java -jar app.jar count-tables > out keeps no log line.
            assertThat(app.stdoutLines()).singleElement().satisfies(line -> assertThat(line).matches("tables: \\d+"));
            assertThat(messages(app)).anyMatch(m -> m.equals("running command count-tables [--fail]"))
                    .anyMatch(m -> m.startsWith("command count-tables finished with status 3"))
                    .noneMatch(m -> m.startsWith("listening"));
        }
    }

    @Test
    void sigtermStopsACommandThroughTheSameShutdown() {
        try (var app = start(database.url(), "slow")) {
            app.awaitEvent(e -> e.field("step").equals(java.util.Optional.of(2)), WAIT);

            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(143);
            assertThat(app.stderrEvents()).anyMatch(e -> e.message().startsWith("command slow stopped by SIGTERM"));
        }
    }

    @Test
    void aCommandInAJvmThatKeepsTheSignalsSaysItCannotBeStopped() {
        try (var app = start(Map.of("JAVA_TOOL_OPTIONS", "-Xrs"), database.url(), "count-tables")) {
            assertThat(app.awaitExit(WAIT)).isZero();

            assertThat(app.stderrEvents()).anySatisfy(event -> {
                assertThat(event.level()).isEqualTo("WARN");
                assertThat(event.message()).startsWith("the JVM keeps SIGTERM and SIGINT from Java");
            });
        }
    }

    @Test
    void aCommandThatIgnoresTheSignalIsLeftBehindWithinTheShutdownTimeout() {
        try (var app = start(Map.of("SHUTDOWN_TIMEOUT", "1s"), database.url(), "stubborn")) {
            app.awaitEvent(e -> e.message().equals("ignoring interrupts"), WAIT);

            app.signal(AppProcess.Signal.TERM);

            assertThat(app.awaitExit(WAIT)).isEqualTo(143);
            assertThat(app.stderrEvents()).anyMatch(e -> e.message().equals("interrupted, carrying on"))
                    .anyMatch(e -> e.message().equals("command stubborn did not stop within 750 ms of SIGTERM;"
                            + " exiting anyway") && e.field("exit_code").equals(java.util.Optional.of(143)));
        }
    }

    @Test
    void aDatabaseThatNeverComesUpEndsTheServiceWithStatusOneAndSaysSo() throws Exception {
        var env = Map.of("DATABASE_STARTUP_POLICY", "wait", "DATABASE_STARTUP_MAX_WAIT", "1s");
        try (var app = start(env, database.urlOnPort(TestDatabase.closedPort()))) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            assertThat(app.events()).anyMatch(e -> e.level().equals("ERROR") && e.message().contains("gave up after"))
                    .last().satisfies(e -> assertThat(e.field("exit_code")).as("the last line says the status")
                            .contains(1));
        }
    }

    @Test
    void anUnknownCommandNamesTheKnownOnes() {
        try (var app = start(database.url(), "migrat")) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(64);

            assertThat(String.join("\n", app.stderrLines())).contains("Unknown command \"migrat\"")
                    .contains("The commands are: check, config, count-tables, serve, slow, stubborn, train, worker.");
        }
    }

    @Test
    void aWorkerRunsItsComponentsWithHealthAndMetricsButNoRoutes() throws Exception {
        try (var app = start(database.url(), "worker")) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> status(base.resolve("/health/ready")) == 200);

            assertThat(status(base.resolve("/metrics"))).isEqualTo(200);
            assertThat(status(base.resolve("/tables"))).isEqualTo(404);
            assertThat(app.events()).anyMatch(e -> e.message().equals("consuming"))
                    .anyMatch(e -> e.message().startsWith("started worker in"));
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
        }
    }
}
