package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.testing.AppProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian package {@code prometheus}; required under CI) scrapes the
 * packaged sample while it serves traffic. It computes a p99 per route from the latency histogram,
 * evaluates every rule of docs/prometheus/skiff.rules.yml without error, and finds every metric
 * those rules and docs/operations.md's table name.
 */
class PrometheusIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Path JAR = Path.of(System.getProperty("skiff.jar", "target/notes.jar"));
    private static final String H2 = "jdbc:h2:mem:notes;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
            + "DB_CLOSE_DELAY=-1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void aRealPrometheusComputesAP99PerRouteAndEveryDocumentedRuleAndMetricExists(@TempDir Path dir) throws Exception {
        DebianTool.require("prometheus", "prometheus");
        Path root = projectRoot();
        // A second instance of the sample is the backing service /hello/relayed calls.
        try (var greeter = AppProcess.startJar(JAR, Map.of("PORT", "0", "HOST", "127.0.0.1", "DATABASE_URL", H2,
                     "NOTES_API_TOKEN", "t0ken-for-the-greeter"));
             var app = AppProcess.startJar(JAR, Map.of("PORT", "0", "HOST", "127.0.0.1", "DATABASE_URL", H2,
                     "NOTES_API_TOKEN", "t0ken-for-the-test", "NOTES_PURGE_EVERY", "1h",
                     "GREETER_URL", greeter.awaitListening(WAIT).toString()))) {
            URI service = app.awaitListening(WAIT);
            await().atMost(WAIT).until(() -> get(service.resolve("/health/ready")).statusCode() == 200);
            try (var prometheus = Prometheus.start(dir, service, root.resolve("docs/prometheus/skiff.rules.yml"))) {
                // One request of each route, scraped before the traffic: rate() needs two samples of a series.
                drive(service, 1);
                await().atMost(WAIT).untilAsserted(() -> assertThat(prometheus.values(
                        "count(http_server_requests_seconds_count{job=\"notes\"})")).containsExactly(5.0));

                drive(service, 49);
                for (int i = 0; i < 150; i++) { // 200 of /hello in all
                    assertThat(get(service.resolve("/hello?name=n" + i)).statusCode()).isEqualTo(200);
                }
                // A collection, so that the GC pause timer exists (the JVM registers it at the first pause).
                runJcmd(app.pid(), "GC.run");

                await().atMost(WAIT).until(() -> prometheus.values(
                        "sum(http_server_requests_seconds_count{job=\"notes\",uri=\"/hello\"})").contains(200.0));
                await().atMost(WAIT).until(() -> !prometheus.values("jvm_gc_pause_seconds_count").isEmpty());

                // The p99 of each route, computed by Prometheus from the buckets (once it has two
                // samples of each series: those of the routes first asked during the traffic too).
                var byRoute = new java.util.HashMap<String, Double>();
                await().atMost(WAIT).untilAsserted(() -> {
                    byRoute.clear();
                    prometheus.query("histogram_quantile(0.99, sum by (le, uri) "
                            + "(rate(http_server_requests_seconds_bucket{job=\"notes\"}[5m])))")
                            .forEach(series -> byRoute.put(series.get("metric").get("uri").asText(),
                                    series.get("value").get(1).asDouble()));
                    assertThat(byRoute).containsOnlyKeys("/hello", "/hello/relayed", "/notes", "/notes/{id}",
                            "UNMATCHED");
                    assertThat(byRoute.values()).as("p99 per route in seconds: numbers within the buckets")
                            .allSatisfy(p99 -> assertThat(p99).isGreaterThan(0).isLessThanOrEqualTo(30));
                });

                // Every rule, as Prometheus itself evaluates it: no error, and the recorded p99 per route.
                await().atMost(WAIT).untilAsserted(() -> assertThat(prometheus.rules())
                        .allSatisfy(rule -> assertThat(rule.get("health").asText())
                                .as("%s: %s", rule.get("name").asText(), rule.path("lastError").asText())
                                .isEqualTo("ok")));
                await().atMost(WAIT).until(() -> !prometheus.values(
                        "uri:http_server_requests_seconds:p99_5m{uri=\"/hello\"}").isEmpty());
                await().atMost(WAIT).until(() -> !prometheus.values(
                        "client:http_client_requests_seconds:p99_5m{client=\"greeter\"}").isEmpty());
                assertThat(prometheus.query("ALERTS{alertstate=\"firing\"}")).as("no alert fires for a healthy service")
                        .isEmpty();

                // Every metric the rules and the docs' table name exists in what Prometheus scraped.
                Set<String> scraped = prometheus.metricNames();
                for (JsonNode rule : prometheus.rules()) {
                    for (String metric : metricNames(rule.get("query").asText())) {
                        assertThat(scraped).as("metric %s of rule %s", metric, rule.get("name").asText())
                                .contains(metric);
                    }
                }
                List<String> documented = documentedExpressions(root.resolve("docs/operations.md"));
                assertThat(documented).hasSizeGreaterThan(8);
                for (String expression : documented) {
                    assertThat(prometheus.query(expression)).as("docs/operations.md names `%s`", expression).isNotEmpty();
                }
            }
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
        }
    }

    /** A Prometheus server of its own, on a free loopback port, scraping the service every second. */
    private record Prometheus(Process process, URI api, HttpClient http) implements AutoCloseable {

        static Prometheus start(Path dir, URI service, Path rules) throws IOException {
            Path config = dir.resolve("prometheus.yml");
            Files.writeString(config, """
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files:
                      - %s
                    scrape_configs:
                      - job_name: notes
                        static_configs:
                          - targets: ['%s:%d']
                    """.formatted(rules.toAbsolutePath(), service.getHost(), service.getPort()));
            int port;
            try (var socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            Process process = new ProcessBuilder("prometheus", "--config.file=" + config,
                    "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port)
                    .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
            var prometheus = new Prometheus(process, URI.create("http://127.0.0.1:" + port),
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
            try {
                await().atMost(WAIT).ignoreExceptions().until(() -> prometheus.http.send(
                        HttpRequest.newBuilder(prometheus.api.resolve("/-/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200);
            } catch (RuntimeException e) {
                prometheus.close();
                throw new AssertionError("Prometheus did not start; its log:\n"
                        + Files.readString(dir.resolve("prometheus.log")), e);
            }
            return prometheus;
        }

        JsonNode query(String promql) throws IOException, InterruptedException {
            JsonNode answer = call("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            return answer.get("data").get("result");
        }

        List<Double> values(String promql) throws IOException, InterruptedException {
            var values = new ArrayList<Double>();
            query(promql).forEach(series -> values.add(series.get("value").get(1).asDouble()));
            return values;
        }

        List<JsonNode> rules() throws IOException, InterruptedException {
            var rules = new ArrayList<JsonNode>();
            call("/api/v1/rules").get("data").get("groups").forEach(group -> group.get("rules").forEach(rules::add));
            return rules;
        }

        Set<String> metricNames() throws IOException, InterruptedException {
            var names = new TreeSet<String>();
            call("/api/v1/label/__name__/values").get("data").forEach(name -> names.add(name.asText()));
            return names;
        }

        private JsonNode call(String path) throws IOException, InterruptedException {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(api.resolve(path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answer.path("status").asText()).as("%s answered %s", path, response.body()).isEqualTo("success");
            return answer;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right", "and", "or", "unless", "bool", "offset", "inf", "nan");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    /** {@return the metric names an expression reads: its identifiers, less functions, labels, keywords} */
    static Set<String> metricNames(String promql) {
        String bare = promql.replaceAll("\"[^\"]*\"", "")
                .replaceAll("\\{[^}]*}", "")
                .replaceAll("\\[[^]]*]", "")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "");
        var names = new TreeSet<String>();
        Matcher identifier = IDENTIFIER.matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            boolean function = bare.substring(identifier.end()).stripLeading().startsWith("(");
            if (!function && !PROMQL_WORDS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                names.add(name);
            }
        }
        return names;
    }

    private static final Pattern TABLE_EXPRESSION = Pattern.compile("^\\| `([^`]+)` \\|", Pattern.MULTILINE);

    /** {@return the expression in the first column of each row of "Metrics to alert on"} */
    private static List<String> documentedExpressions(Path operations) throws IOException {
        String page = Files.readString(operations);
        int start = page.indexOf("## Metrics to alert on");
        assertThat(start).as("docs/operations.md has a section \"Metrics to alert on\"").isNotNegative();
        int end = page.indexOf("\n## ", start + 1);
        Matcher row = TABLE_EXPRESSION.matcher(page.substring(start, end < 0 ? page.length() : end));
        var expressions = new ArrayList<String>();
        while (row.find()) {
            expressions.add(row.group(1));
        }
        return expressions;
    }

    /**
     * Asks each of the sample's routes {@code times} times: /hello, /hello/relayed (which calls the
     * greeter), /notes, /notes/{id} (404) and an unknown path.
     */
    private void drive(URI service, int times) throws IOException, InterruptedException {
        for (int i = 0; i < times; i++) {
            assertThat(get(service.resolve("/hello?name=n" + i)).statusCode()).isEqualTo(200);
            assertThat(get(service.resolve("/hello/relayed?name=r" + i)).statusCode()).isEqualTo(200);
            assertThat(get(service.resolve("/notes")).statusCode()).isEqualTo(200);
            assertThat(get(service.resolve("/notes/" + (1000 + i))).statusCode()).isEqualTo(404);
            assertThat(get(service.resolve("/no-such-page/" + i)).statusCode()).isEqualTo(404);
        }
    }

    private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void runJcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("jcmd finished").isTrue();
        assertThat(process.exitValue()).as("jcmd %s: %s", command, output).isZero();
    }

    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isDirectory(dir.resolve("framework-core"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root above " + Path.of("").toAbsolutePath());
    }
}
