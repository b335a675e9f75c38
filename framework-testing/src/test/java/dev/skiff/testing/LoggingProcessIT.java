package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Log output of a real child JVM: nothing lost at SIGTERM, nothing secret printed. */
class LoggingProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aSigtermMidBurstLosesNoLineUpToTheLastOne() {
        try (var app = AppProcess.startClass(LogBurstApp.class, Map.of("PORT", "0"))) {
            app.awaitEvent(e -> e.field("seq").isPresent(), WAIT);
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isEqualTo(0);

            List<LogEvent> events = app.events(); // every stdout line is one JSON object
            Map<Integer, List<Integer>> seqByThread = new TreeMap<>();
            int draining = -1;
            int lastBurstLine = -1;
            for (int i = 0; i < events.size(); i++) {
                LogEvent event = events.get(i);
                if (event.field("seq").isPresent()) {
                    seqByThread.computeIfAbsent((Integer) event.field("burst").orElseThrow(), t -> new ArrayList<>()).add((Integer) event.field("seq").orElseThrow());
                    lastBurstLine = i;
                } else if (event.message().startsWith("draining")) {
                    draining = i;
                }
            }
            assertThat(draining).as("the shutdown started").isNotNegative();
            assertThat(lastBurstLine).as("the burst was still running when the shutdown began").isGreaterThan(draining);
            seqByThread.forEach((thread, seqs) -> {
                var expected = new ArrayList<Integer>();
                for (int seq = 0; seq < seqs.size(); seq++) {
                    expected.add(seq);
                }
                assertThat(seqs).as("burst-%d printed 0..%d in order with no gap", thread, seqs.size() - 1)
                        .isEqualTo(expected);
            });
        }
    }

    @Test
    void aProgramWhoseMainReturnsKeepsItsLastLine() {
        // stdout's writer is a daemon thread that lets lines gather for a millisecond: without the
        // flush at the JVM's exit, the last line went with it about half the time.
        for (int run = 0; run < 3; run++) {
            try (var app = AppProcess.startClass(LastLineApp.class, Map.of("LOG_FORMAT", "json"))) {
                assertThat(app.awaitExit(WAIT)).isEqualTo(0);
                assertThat(app.events()).extracting(LogEvent::message).as("run %d", run).containsSubsequence("first", "LAST");
            }
        }
    }

    @Test
    void aTrainingRunLeavesAStreamThatNeverEnds() {
        // A GET route that streams for as long as its client listens: train reads it for 10 s, says
        // so, and goes on to stop cleanly, rather than hold the build that trains.
        try (var app = AppProcess.startClass(StreamingApp.class, Map.of("PORT", "0", "LOG_FORMAT", "json"), "train")) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
            assertThat(app.events()).extracting(LogEvent::message)
                    .anyMatch(m -> m.startsWith("training: GET /events had not finished its answer after 10000 ms"));
        }
    }

    @Test
    void aSigtermUnderLoadLosesNoAccessLogLine() throws Exception {
        try (var app = AppProcess.startClass(AccessLogApp.class, Map.of("PORT", "0"))) {
            URI base = app.awaitListening(WAIT);
            // A line logged on the I/O thread is written without waiting for some later line.
            try (var client = HttpClient.newHttpClient()) {
                String id = client.send(HttpRequest.newBuilder(base.resolve("/hi")).build(),
                        HttpResponse.BodyHandlers.ofString()).headers().firstValue("X-Request-Id").orElseThrow();
                app.awaitEvent(e -> e.logger().equals("skiff.access") && id.equals(e.field("request_id").orElse(null)),
                        Duration.ofSeconds(10));
            }

            Set<String> answered = ConcurrentHashMap.newKeySet();
            var clients = new ArrayList<Thread>();
            for (int c = 0; c < 4; c++) {
                // Half the clients on the route served on the I/O thread, half on a virtual thread.
                URI uri = base.resolve(c % 2 == 0 ? "/hi" : "/hi-blocking");
                clients.add(Thread.ofPlatform().start(() -> {
                    try (var client = HttpClient.newHttpClient()) {
                        while (true) {
                            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            if (response.statusCode() == 200) {
                                answered.add(response.headers().firstValue("X-Request-Id").orElseThrow());
                            }
                        }
                    } catch (Exception refusedOnceStopped) {
                        // The server stopped accepting: this client is done.
                    }
                }));
            }
            await().atMost(WAIT).until(() -> answered.size() >= 2_000);
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
            for (Thread client : clients) {
                client.join(WAIT);
            }

            List<String> logged = app.events().stream().filter(e -> e.logger().equals("skiff.access"))
                    .map(e -> (String) e.field("request_id").orElseThrow()).toList();
            assertThat(Set.copyOf(logged)).as("one access-log line for every request answered")
                    .containsAll(answered);
            assertThat(logged).as("and only one").doesNotHaveDuplicates();
        }
    }

    @Test
    void anUnreadStdoutStallsNoRequestNoProbeAndNotTheShutdown() throws Exception {
        // stdout into a pipe nobody reads once the service listens: a full Docker log buffer, a
        // stuck sidecar. Its 64 KiB fill after a few hundred access-log lines.
        var command = List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), AccessLogApp.class.getName());
        var builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("PORT", "0");
        Process process = builder.start();
        try {
            InputStream stdout = process.getInputStream();
            var reader = new BufferedReader(new InputStreamReader(stdout, StandardCharsets.UTF_8));
            String port = null;
            for (String line; port == null && (line = reader.readLine()) != null; ) {
                if (line.contains("\"message\":\"listening on")) {
                    port = line.replaceAll(".*\"port\":(\\d+).*", "$1");
                }
            }
            assertThat(port).as("the service said where it listens").isNotNull();
            URI base = URI.create("http://127.0.0.1:" + port);
            try (var client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
                for (int i = 0; i < 3_000; i++) {
                    String path = i % 2 == 0 ? "/hi" : "/hi-blocking";
                    HttpResponse<String> answer = client.send(HttpRequest.newBuilder(base.resolve(path))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(answer.statusCode()).as("request %d", i).isEqualTo(200);
                }
                for (String probe : List.of("/health/live", "/health/ready", "/metrics")) {
                    assertThat(client.send(HttpRequest.newBuilder(base.resolve(probe)).timeout(Duration.ofSeconds(5))
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as(probe).isEqualTo(200);
                }
                String metrics = client.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).containsPattern("(?m)^log_dropped_lines_total [1-9]");
            }

            // Nor does it hold the shutdown past its budget (8 s) and the last flush's deadline (1 s).
            process.toHandle().destroy();
            assertThat(process.waitFor(12, TimeUnit.SECONDS)).as("exited in time though stdout is not read").isTrue();
            assertThat(process.exitValue()).isZero();
            List<String> rest = reader.lines().toList();
            assertThat(rest).as("what stdout held").isNotEmpty()
                    .allSatisfy(line -> assertThat(line).startsWith("{").endsWith("}"));
        } finally {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aCanarySecretInConfigAUrlAndAHeaderAppearsInNoOutput() throws Exception {
        String canary = "canary-a1b2c3d4e5";
        String urlCanary = "pw-canary-9z8y7x";
        String headerCanary = "hdr-canary-q1w2e3";
        var env = Map.of("PORT", "0", "API_TOKEN", canary,
                "DATABASE_URL", "postgres://app:" + urlCanary + "@db.internal:5432/notes");
        try (var app = AppProcess.startClass(CanaryApp.class, env)) {
            URI base = app.awaitListening(WAIT);
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(base.resolve("/echo")).header("Authorization", "Bearer " + headerCanary).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).doesNotContain(canary);
            app.awaitEvent(e -> e.message().startsWith("request GET /echo failed"), WAIT);
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isEqualTo(0);

            String output = String.join("\n", app.stdoutLines()) + "\n" + String.join("\n", app.stderrLines());
            assertThat(app.events()).anySatisfy(e -> assertThat(e.message())
                    .isEqualTo("the api token is ******"));
            for (String secret : new TreeSet<>(List.of(canary, urlCanary, headerCanary))) {
                assertThat(output).doesNotContain(secret);
                if (!secret.equals(headerCanary)) {
                    assertThat(output).doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8))
                            .doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
                }
            }
        }
    }
}
