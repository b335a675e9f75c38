package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated raw requests — request lines, methods, paths, header names and values, body lengths,
 * chunk sizes and bodies — against a running service in a child JVM: never a 5xx other than a
 * documented 503, never a dead server, never a line on stdout that is not a JSON event or any line
 * on stderr, and a bounded number of metric series however many methods and paths are sent.
 */
class HostileRequestsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.[01] (\\d{3})");
    private static AppProcess app;
    private static URI base;
    private static final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeContainer
    static void start() {
        app = AppProcess.startClass(HostileRequestsApp.class, Map.of("PORT", "0", "HOST", "127.0.0.1",
                "HTTP_MAX_BODY_SIZE", "4KiB", "HTTP_BODY_READ_TIMEOUT", "1s", "HTTP_REQUEST_HEAD_TIMEOUT", "1s",
                "HTTP_ACCESS_LOG", "true"));
        base = app.awaitListening(WAIT);
    }

    @AfterContainer
    static void stop() throws Exception {
        try {
            String metrics = get("/metrics").body();
            long series = metrics.lines().filter(line -> line.startsWith("http_server_requests_seconds_count{")).count();
            // Methods (9 standard and OTHER) times route templates (3 and UNMATCHED) times the statuses
            // the server answers with: bounded, whatever the requests held.
            assertThat(series).as(metrics).isLessThanOrEqualTo(10 * 4 * 12);
            // Each has the latency histogram's 12 buckets and +Inf, no more.
            assertThat(metrics.lines().filter(line -> line.startsWith("http_server_requests_seconds_bucket{")).count())
                    .as(metrics).isEqualTo(series * 13);
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
            assertThat(app.stderrLines()).as("stderr").isEmpty();
            var json = new ObjectMapper();
            for (String line : app.stdoutLines()) {
                assertThat(json.readTree(line).isObject()).as(line).isTrue();
            }
        } finally {
            app.close();
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Property(tries = 250)
    void aHostileRequestGetsAnAnswerThatIsNotAnErrorOfTheServerAndTheServerGoesOn(
            @ForAll("requests") byte[] request) throws Exception {
        String answer = send(request);
        Matcher status = STATUS.matcher(answer);
        if (status.find()) {
            int code = Integer.parseInt(status.group(1));
            assertThat(code < 500 || code == 503).as("status %d for %s", code, printable(request)).isTrue();
        }
        assertThat(get("/health/live").statusCode()).as("alive after %s", printable(request)).isEqualTo(200);
    }

    /**
     * Parallel clients sending bodies: the connections' buffers are taken and given back at a
     * pace a per-thread cache cannot absorb. Nothing may reach stderr (checked after the container):
     * Undertow's own pool would free the surplus through sun.misc.Unsafe, which JDK 24+ warns about.
     */
    @Example
    void parallelBodiesLeaveStderrEmpty() throws Exception {
        String body = "{\"text\":\"" + "b".repeat(3000) + "\"}"; // under the 4 KiB limit, over a buffer's worth of reads
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var answers = new java.util.ArrayList<java.util.concurrent.Future<Integer>>();
            for (int i = 0; i < 400; i++) {
                answers.add(pool.submit(() -> client.send(HttpRequest.newBuilder(base.resolve("/notes"))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode()));
            }
            for (var answer : answers) {
                assertThat(answer.get()).isEqualTo(201);
            }
        }
    }

    private static String send(byte[] request) throws IOException {
        try (var socket = new Socket("127.0.0.1", base.getPort())) {
            socket.setSoTimeout(3_000);
            try {
                socket.getOutputStream().write(request);
                socket.shutdownOutput(); // nothing more comes: the server answers or closes
            } catch (SocketException refused) {
                return ""; // closed while the bytes were still going: a refusal
            }
            var out = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(out);
            } catch (SocketTimeoutException | SocketException quietOrReset) {
                // what came back so far is the answer
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String printable(byte[] request) {
        String text = new String(request, StandardCharsets.ISO_8859_1);
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }

    @Provide
    Arbitrary<byte[]> requests() {
        Arbitrary<String> method = Arbitraries.oneOf(
                Arbitraries.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12),
                Arbitraries.strings().all().ofMinLength(0).ofMaxLength(8));
        Arbitrary<String> path = Arbitraries.oneOf(
                Arbitraries.of("/notes/1", "/notes", "/notes/1?q=%00", "/health/ready", "/metrics", "*", "/../../etc",
                        "http://evil/notes/1", "/notes/%2e%2e", "/notes/%ZZ", "//notes", "/notes/1#frag"),
                Arbitraries.strings().withChars("/%.?&=#;abcxyz019 \t\u0000\u007f\u00e9").ofMaxLength(40).map(p -> "/" + p),
                Arbitraries.strings().all().ofMaxLength(20));
        Arbitrary<String> version = Arbitraries.of("HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "HTTP/1",
                "http/1.1", "", "HTTP/1.1 extra");
        Arbitrary<String> headerName = Arbitraries.oneOf(
                Arbitraries.of("Host", "Content-Type", "Accept", "X-Deny", "Expect", "Connection", "Content-Length",
                        "Transfer-Encoding", "X-Request-Id", "traceparent", "Authorization", "Cookie"),
                Arbitraries.strings().withChars("abcXYZ-_:@ \t\u0000\u00ff").ofMinLength(0).ofMaxLength(16));
        Arbitrary<String> headerValue = Arbitraries.oneOf(
                Arbitraries.of("100-continue", "chunked", "close", "keep-alive", "-1", "99999999999999999999", "0",
                        "application/json", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
                Arbitraries.strings().all().ofMaxLength(60));
        Arbitrary<List<String>> headers = Combinators.combine(headerName, headerValue).as((n, v) -> n + ": " + v)
                .list().ofMaxSize(8);
        Arbitrary<String> body = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.strings().all().ofMaxLength(200).map(b -> "Content-Length: " + b.length() + "\r\n\r\n" + b),
                Arbitraries.strings().all().ofMaxLength(50).map(b -> "Content-Length: " + (b.length() + 100) + "\r\n\r\n" + b),
                Arbitraries.integers().between(0, 9000).map(n -> "Content-Length: " + n + "\r\n\r\n" + "x".repeat(n)),
                chunked());
        Arbitrary<String> lineEnd = Arbitraries.of("\r\n", "\r\n", "\r\n", "\n");
        return Combinators.combine(method, path, version, headers, body, lineEnd).as((m, p, v, h, b, eol) -> {
            var request = new StringBuilder(m).append(' ').append(p).append(' ').append(v).append(eol);
            request.append("Host: test").append(eol);
            h.forEach(header -> request.append(header).append(eol));
            if (b.isEmpty()) {
                request.append(eol);
            } else {
                request.append(b);
            }
            return request.toString().getBytes(StandardCharsets.UTF_8);
        });
    }

    private Arbitrary<String> chunked() {
        Arbitrary<String> chunk = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 5000).map(n -> Integer.toHexString(n) + "\r\n" + "y".repeat(n) + "\r\n"),
                Arbitraries.of("zz\r\nabc\r\n", "-5\r\nabc\r\n", "ffffffffffffffff\r\nabc\r\n", "3;ext=1\r\nabc\r\n",
                        "3\r\nabcdef\r\n", "3\nabc\n"));
        return chunk.list().ofMaxSize(4).map(chunks -> "Transfer-Encoding: chunked\r\n\r\n" + String.join("", chunks)
                + "0\r\n\r\n");
    }
}
