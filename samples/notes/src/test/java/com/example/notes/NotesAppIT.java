package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.testing.AppProcess;
import dev.skiff.testing.DeploymentFiles;
import dev.skiff.testing.LogEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged sample as a real child JVM: the path a user takes from the README. */
class NotesAppIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path JAR = Path.of(System.getProperty("skiff.jar", "target/notes.jar"));

    /** The development switch of .env.example: an in-memory H2 database. */
    private static final String H2 = "jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
            + "DB_CLOSE_DELAY=-1";

    /** What {@code serve} needs to start: the API token; {@code worker} and {@code migrate} never read it. */
    private static final String TOKEN = "t0ken-of-the-api";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void servesOnAFreePortAndStopsCleanlyOnSigterm() throws Exception {
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "NOTES_GREETING", "Ahoy", "NOTES_PURGE_EVERY", "1h", "NOTES_API_TOKEN", TOKEN,
                "DATABASE_URL", H2))) {
            URI base = app.awaitListening(WAIT);

            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);
            assertThat(get(base.resolve("/health/live")).statusCode()).isEqualTo(200);
            assertThat(get(base.resolve("/health/started")).statusCode()).isEqualTo(200);

            HttpResponse<String> hello = get(base.resolve("/hello?name=Ada"));
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(new ObjectMapper().readTree(hello.body()).get("message").asText()).isEqualTo("Ahoy, Ada!");
            assertThat(hello.headers().firstValue("X-Request-Id")).isPresent();

            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).as("exit code after SIGTERM").isEqualTo(0);

            assertThat(app.stdoutLines()).isNotEmpty();
            assertThat(app.stderrLines()).as("nothing but JSON events: stderr stays empty").isEmpty();
            var events = app.events(); // fails on any stdout line that is not a JSON object
            LogEvent first = events.getFirst();
            assertThat(first.message()).startsWith(System.getProperty("service.artifactId", "notes") + " "
                    + System.getProperty("service.version", "0.1.0-SNAPSHOT") + " (commit ");
            assertThat(first.field("service.name")).contains(System.getProperty("service.artifactId", "notes"));
            assertThat(events).anySatisfy(e -> assertThat(e.message()).matches("started in \\d+ ms"));
            assertThat(events.getLast().message()).startsWith("stopped cleanly in");
            assertThat(events).as("the periodic job says what it did when it stops")
                    .anySatisfy(e -> assertThat(e.message()).startsWith("stopped task purge after 0 runs, 0 failed"));
            assertThat(events).as("one warning that the notes are kept in memory")
                    .filteredOn(e -> e.level().equals("WARN"))
                    .singleElement().satisfies(e -> assertThat(e.message())
                            .startsWith("DATABASE_URL names an H2 database, for development only"));
        }
    }

    @Test
    void theDeploymentFilesMatchTheJar() throws Exception {
        // Every command the Procfile and the manifests run is one the jar defines, and the
        // Dockerfile's training run succeeds with what its RUN line gives it (no API token).
        DeploymentFiles.check(JAR);
        for (String line : Files.readAllLines(Path.of("Procfile"))) {
            // The JVM's own output (a SIGQUIT's thread dump, its log) to stderr: stdout holds only JSON;
            // and the AOT cache the build made.
            assertThat(line).as("Procfile").contains(": java -XX:+DisplayVMOutputToStderr" + JVM_WARNINGS_TO_STDERR
                    + " -XX:TrimNativeHeapInterval=5000 -XX:AOTCache=target/notes.aot -jar target/notes.jar");
        }
    }

    /** The JVM's own warnings (the AOT cache's among them) go to stdout unless told otherwise. */
    private static final String JVM_WARNINGS_TO_STDERR = " -Xlog:disable -Xlog:all=warning:stderr";

    @Test
    void trainWritesAnAotCacheThatTheNextStartCanRequire(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("notes.aot");
        // No NOTES_API_TOKEN: a training run needs no production secret (nothing it asks reads it).
        try (var training = AppProcess.startJar(JAR, Map.of("PORT", "0", "DATABASE_URL", H2,
                "JAVA_TOOL_OPTIONS", "-XX:AOTCacheOutput=" + cache + JVM_WARNINGS_TO_STDERR), "train")) {
            assertThat(training.awaitExit(Duration.ofSeconds(180))).as("exit code of train").isEqualTo(0);
            // The JVM prints lines of its own on stdout when it writes the cache: read the raw lines.
            assertThat(training.stdoutLines()).anySatisfy(line -> assertThat(line).contains("\"message\":\"training: ")
                    .contains("/hello=200").contains("/notes=200").contains("/health/ready=200").contains("/metrics=200")
                    .contains("/skiff-training/no-such-route=404"));
        }
        assertThat(cache).isNotEmptyFile();
        // AOTMode=on: the JVM refuses to start unless it can use the cache.
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "DATABASE_URL", H2, "NOTES_API_TOKEN", TOKEN,
                "JAVA_TOOL_OPTIONS", "-XX:AOTMode=on -XX:AOTCache=" + cache + JVM_WARNINGS_TO_STDERR))) {
            URI base = app.awaitListening(WAIT);
            assertThat(get(base.resolve("/hello")).statusCode()).isEqualTo(200);
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
        }
    }

    // snippet:child-jvm
    @Test
    void sigintStopsItCleanlyToo() throws Exception {
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "DATABASE_URL", H2, "NOTES_API_TOKEN", TOKEN))) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);

            app.signal(AppProcess.Signal.INT);

            assertThat(app.awaitExit(WAIT)).as("exit code after SIGINT").isEqualTo(0);
        }
    }
    // end:child-jvm

    @Test
    void everyProblemIsReportedInOneRunAndNothingStarts() {
        // The framework's settings, the application's record (a value missing, and its own check on
        // another), and DATABASE_URL, which the setup asks for after binding: one report.
        var env = Map.of("PORT", "eighty", "SHUTDOWN_TIMEOUT", "soon", "LOG_LEVEL", "loud", "NOTES_GREETING", " ");
        try (var app = AppProcess.startJar(JAR, env)) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);
            String report = String.join("\n", app.stderrLines());
            assertThat(report).startsWith("""
                    Configuration is invalid (7 problems); nothing was started.

                      1. http.port: expected a whole number, got "eighty"
                            from: env var PORT
                            to fix: set PORT (or http.port in application.conf)

                      2. shutdown.timeout: expected a duration such as 250ms, 30s, 5m or PT30S, got "soon"
                            from: env var SHUTDOWN_TIMEOUT
                            to fix: set SHUTDOWN_TIMEOUT (or shutdown.timeout in application.conf)

                      3. log.level: expected one of trace, debug, info, warn, error, off, got "loud"
                            from: env var LOG_LEVEL
                            to fix: set LOG_LEVEL (or log.level in application.conf)

                      4. notes.api-token: a value is required and none was given
                            from: not set
                            to fix: set NOTES_API_TOKEN, or NOTES_API_TOKEN_FILE naming a file that holds it

                      5. notes.greeting: greeting must not be blank
                            from: env var NOTES_GREETING
                            to fix: set NOTES_GREETING (or notes.greeting in application.conf)

                      6. database.url: the service uses a database and none is configured: set DATABASE_URL to postgres://user:password@host:5432/database or a jdbc: URL
                            from: not set
                            to fix: set DATABASE_URL (or database.url in application.conf)

                      7. setup, at com.example.notes.NotesApp.setup(NotesApp.java:""");
            // The record whose own check failed is null while setup runs: where setup stopped is said.
            assertThat(report).contains("): stopped early: java.lang.NullPointerException");
            assertThat(app.stdoutLines()).isEmpty();
        }
    }

    @Test
    void workerAndMigrateStartWithoutTheApiTokenWhichServeRequires() throws Exception {
        try (var worker = AppProcess.startJar(JAR, Map.of("PORT", "0", "DATABASE_URL", H2), "worker")) {
            URI base = worker.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);
            assertThat(worker.awaitEvent(e -> e.message().startsWith("configuration: notes.api-token is not set"), WAIT)
                    .message()).endsWith("reading it fails naming NOTES_API_TOKEN");
            worker.signal(AppProcess.Signal.TERM);
            assertThat(worker.awaitExit(WAIT)).as("the worker's exit status").isZero();
        }
        try (var migrate = AppProcess.startJar(JAR, Map.of("DATABASE_URL", H2), "migrate")) {
            assertThat(migrate.awaitExit(WAIT)).as("migrate's exit status").isZero();
        }
        try (var serve = AppProcess.startJar(JAR, Map.of("PORT", "0", "DATABASE_URL", H2))) {
            assertThat(serve.awaitExit(WAIT)).isEqualTo(78);
            assertThat(String.join("\n", serve.stderrLines())).startsWith("""
                    Configuration is invalid (1 problem); nothing was started.

                      1. notes.api-token: a value is required and none was given""");
        }
    }

    @Test
    void withoutDatabaseUrlItRefusesToStartRatherThanKeepNotesInMemory() {
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0"))) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);
            assertThat(String.join("\n", app.stderrLines())).contains("database.url: the service uses a database and"
                    + " none is configured: set DATABASE_URL to postgres://user:password@host:5432/database");
            assertThat(app.stdoutLines()).noneMatch(line -> line.contains("listening"));
        }
        try (var help = AppProcess.startJar(JAR, Map.of(), "--help")) {
            assertThat(help.awaitExit(WAIT)).as("--help needs no database").isZero();
        }
    }

    @Test
    void helpAnswersAndConfigShowsWhatIsSetEvenWhenAValueIsBad() {
        var env = Map.of("PORT", "eighty", "NOTES_API_TOKEN", TOKEN, "DATABASE_URL", H2);
        try (var help = AppProcess.startJar(JAR, env, "--help")) {
            assertThat(help.awaitExit(WAIT)).isZero();
            assertThat(help.stdoutLines()).anyMatch(line -> line.startsWith("Usage: java -jar notes.jar"));
        }
        try (var config = AppProcess.startJar(JAR, env, "config")) {
            assertThat(config.awaitExit(WAIT)).isEqualTo(78);
            assertThat(config.stdoutLines()).anyMatch(line -> line.startsWith("http.port = eighty") && line.endsWith("# env var PORT"));
            assertThat(String.join("\n", config.stderrLines())).contains("1. http.port: expected a whole number");
            assertThat(String.join("\n", config.stdoutLines()) + String.join("\n", config.stderrLines()))
                    .doesNotContain("t0ken-of-the-api");
        }
        try (var unknown = AppProcess.startJar(JAR, Map.of("PORT", "0"), "bogus")) {
            assertThat(unknown.awaitExit(WAIT)).as("an unknown command needs no database to be named").isEqualTo(64);
        }
    }

    @Test
    void aBadValueOfTheApplicationsOwnIsReportedToo() {
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "NOTES_GREETING", " ", "DATABASE_URL", H2,
                "NOTES_API_TOKEN", TOKEN))) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);
            assertThat(app.stderrLines()).contains(
                    "  1. notes.greeting: greeting must not be blank",
                    "        from: env var NOTES_GREETING");
        }
    }

    @Test
    void secretsComeFromMountedFilesAndNeverPrint(@TempDir Path secrets) throws Exception {
        Path url = Files.writeString(secrets.resolve("database-url"), H2 + "\n");
        Path token = Files.writeString(secrets.resolve("api-token"), "file-mounted-token-42\n");
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "DATABASE_URL_FILE", url.toString(),
                "NOTES_API_TOKEN_FILE", token.toString()))) {
            URI base = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(base.resolve("/health/ready")).statusCode() == 200);

            HttpResponse<String> created = http.send(HttpRequest.newBuilder(base.resolve("/notes"))
                            .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                            .header("Authorization", "Bearer file-mounted-token-42")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"title\":\"from a file\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
            assertThat(app.stdoutLines()).noneMatch(line -> line.contains("file-mounted-token-42"));
        }
        try (var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "DATABASE_URL_FILE", secrets.resolve("absent").toString()))) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);
            assertThat(String.join("\n", app.stderrLines()))
                    .contains("database.url: the file " + secrets.resolve("absent") + " named by DATABASE_URL_FILE does not exist")
                    .contains("from: env var DATABASE_URL_FILE = " + secrets.resolve("absent"));
        }
    }

    @Test
    void checkTriesTheDatabaseAndEveryServiceTheAppCalls() throws Exception {
        var greeter = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        greeter.createContext("/", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        greeter.start();
        try (var app = AppProcess.startJar(JAR, Map.of("DATABASE_URL", H2, "NOTES_API_TOKEN", TOKEN,
                "GREETER_URL", "http://127.0.0.1:" + greeter.getAddress().getPort()), "check")) {
            assertThat(app.awaitExit(WAIT)).as(String.join("\n", app.stdoutLines())).isZero();
            assertThat(app.stdoutLines()).anyMatch(line -> line.startsWith("database") && line.contains("OK:"))
                    .anyMatch(line -> line.startsWith("http greeter") && line.contains("OK:") && line.contains("answered 404"))
                    .contains("All checks passed.");
        } finally {
            greeter.stop(0);
        }
        int closed;
        try (var socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        try (var app = AppProcess.startJar(JAR, Map.of("DATABASE_URL", H2, "NOTES_API_TOKEN", TOKEN,
                "GREETER_URL", "http://127.0.0.1:" + closed), "check")) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(1);
            assertThat(app.stdoutLines()).anyMatch(line -> line.startsWith("http greeter") && line.contains("FAILED:")
                    && line.contains("check that it runs and that GREETER_URL names it")).contains("Some checks failed.");
        }
    }

    @Test
    void theGracePeriodSettingIsTheKillWindowSoARaisedTimeoutIsNotWarnedAbout() {
        var kubernetes = Map.of("PORT", "0", "DATABASE_URL", H2, "NOTES_API_TOKEN", TOKEN, "KUBERNETES_SERVICE_HOST", "127.0.0.1",
                "SHUTDOWN_TIMEOUT", "50s");
        try (var app = AppProcess.startJar(JAR, kubernetes)) {
            app.awaitListening(WAIT);
            assertThat(app.awaitEvent(e -> e.message().contains("does not fit"), WAIT).message())
                    .contains("set SHUTDOWN_GRACE_PERIOD");
        }
        var raised = new java.util.HashMap<>(kubernetes);
        raised.put("SHUTDOWN_GRACE_PERIOD", "60s");
        try (var app = AppProcess.startJar(JAR, raised)) {
            app.awaitListening(WAIT);
            assertThat(app.awaitEvent(e -> e.message().startsWith("shutdown on SIGTERM"), WAIT).message())
                    .contains("all within 50000 ms", "kills after 60 s");
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
            assertThat(app.events()).noneMatch(e -> e.message().contains("does not fit"));
        }
        raised.put("SHUTDOWN_GRACE_PERIOD", "1s");
        try (var app = AppProcess.startJar(JAR, raised)) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(78);
            assertThat(String.join("\n", app.stderrLines())).contains("shutdown.grace-period: the grace period must be at least 3s");
        }
    }

    private HttpResponse<String> send(String method, URI uri, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
