package dev.skiff.http.internal;

import dev.skiff.internal.CoreSettings;
import dev.skiff.internal.Metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.config.ByteSize;
import dev.skiff.lifecycle.internal.HealthSettings;
import dev.skiff.lifecycle.internal.Lifecycle;
import dev.skiff.lifecycle.internal.ShutdownSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Hostile bytes over real sockets: each is refused or closed, never a 500, and the server answers
 * the next good request.
 */
class HttpBadInputTest {

    private final Lifecycle lifecycle = Lifecycle.create(new ShutdownSettings(Duration.ZERO, Duration.ofSeconds(5)),
            HealthSettings.DEFAULTS);
    private final Metrics metrics = new Metrics(() -> 0);
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        var routes = new RouteTable();
        routes.add("GET", "/notes/{id}", ctx -> ctx.text("note " + ctx.pathParam("id")));
        routes.add("POST", "/notes", ctx -> ctx.text("got " + ctx.body().length()));
        routes.add("GET", "/big", ctx -> ctx.bytes(new byte[16 << 20], "application/octet-stream"));
        server = new HttpServer(CoreSettings.Http.of("127.0.0.1", 0, ByteSize.ofBytes(1024), ByteSize.ofBytes(64L << 20), false, 100,
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5)), null, routes, lifecycle, metrics,
                Map.of(),
                Duration.ofSeconds(2), java.util.List.of());
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
        metrics.close();
    }

    /** Sends raw bytes and returns what came back before the server closed or went quiet. */
    private String exchange(byte[] request) throws IOException {
        try (var socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            var out = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                    if (out.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")
                            && !out.toString(StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 1")) {
                        break;
                    }
                }
            } catch (SocketTimeoutException | java.net.SocketException quietOrReset) {
                // what came back so far is the answer
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    /** Sends raw bytes and returns everything that came back until the server closed or went quiet. */
    private String exchangeAll(String request) throws IOException {
        try (var socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(3000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            var out = new ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(out);
            } catch (SocketTimeoutException | java.net.SocketException quietOrReset) {
                // what came back so far is the answer
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private String exchange(String request) throws IOException {
        return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void stillServes() throws IOException {
        assertThat(exchange("GET /notes/1 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GARBAGE\r\n\r\n",
        "GET /notes/1 HTTP/1.1\r\nHost: test\r\nBad\u0001Header: v\r\n\r\n",
        "GET /notes/1 HTTP/1.1\r\nHost: test\r\nX: a\u0000b\r\n\r\n",
        "POST /notes HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "POST /notes HTTP/1.1\r\nHost: test\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
        "POST /notes HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n",
        "POST /notes HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n0\r\n\r\n",
        "GET /notes/1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    })
    void aMalformedRequestIsRefusedAndTheServerGoesOn(String request) throws IOException {
        String response = exchange(request);

        assertThat(response).as("answer to %s", request.replace("\r\n", "\\r\\n"))
                .satisfiesAnyOf(r -> assertThat(r).startsWith("HTTP/1.1 4"), r -> assertThat(r).isEmpty());
        stillServes();
    }

    @Test
    void oversizedHeadersAreRefusedAndTheConnectionClosed() throws IOException {
        String response = exchange("GET /notes/1 HTTP/1.1\r\nHost: test\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");

        assertThat(response).satisfiesAnyOf(r -> assertThat(r).startsWith("HTTP/1.1 4"), r -> assertThat(r).isEmpty());
        stillServes();
    }

    @Test
    void aSlowlorisClientIsCutOffByTheHeadTimeoutWhileOthersAreServed() throws Exception {
        try (var slow = new Socket("127.0.0.1", server.port())) {
            slow.getOutputStream().write("GET /notes/1 HTTP/1.1\r\nHost: te".getBytes(StandardCharsets.ISO_8859_1));
            stillServes();
            slow.setSoTimeout(10_000);
            long begin = System.nanoTime();
            int read;
            try {
                read = slow.getInputStream().read();
            } catch (java.net.SocketException reset) {
                read = -1;
            }
            assertThat(read).as("the slow connection was closed, not answered").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
        }
        stillServes();
    }

    @Test
    void aBodyDribbledSlowerThanTheDeadlineIsCutOffWhileOthersAreServed() throws Exception {
        try (var slow = new Socket("127.0.0.1", server.port())) {
            slow.getOutputStream().write(("POST /notes HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nab")
                    .getBytes(StandardCharsets.ISO_8859_1));
            slow.getOutputStream().flush();
            stillServes();
            slow.setSoTimeout(10_000);
            String answer = new String(slow.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);

            assertThat(answer).startsWith("HTTP/1.1 408").contains("did not arrive within 1000 ms");
        }
        stillServes();
    }

    @Test
    void pathTraversalShapesAreJustPathsThatMatchNothing() throws IOException {
        for (String path : new String[] {"/notes/../admin", "/notes/%2e%2e/admin", "/../../etc/passwd", "/notes/1/..",
                "//notes//1", "/notes/%00"}) {
            String response = exchange("GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
            assertThat(response).as(path).startsWith("HTTP/1.1 4");
        }
        stillServes();
    }

    @Test
    void anUnknownMethodIsA405OnAKnownPathAndNeverA500() throws IOException {
        assertThat(exchange("BREW /notes/1 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 405").contains("Allow: GET, HEAD");
        assertThat(exchange("BREW /pot HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 404");
        stillServes();
    }

    @Test
    void tlsBytesOnThePlainPortAreRefused() throws IOException {
        byte[] clientHello = {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03, 0x00, 0x01,
            0x02, 0x03, 0x04, 0x05, 0x06, 0x07, '\r', '\n', '\r', '\n'};

        assertThat(exchange(clientHello)).satisfiesAnyOf(r -> assertThat(r).startsWith("HTTP/1.1 4"),
                r -> assertThat(r).isEmpty());
        stillServes();
    }

    /** RFC 9112 framing that Undertow alone would accept (or, for a bad chunk, answer with nothing at all). */
    @ParameterizedTest
    @ValueSource(strings = {
        // A chunk size that is not hex: Undertow read "zz" as 0 and closed without an answer.
        "zz\r\nhello\r\n0\r\n\r\n",
        // Chunk-size, chunk-end and trailer lines ending in a bare LF.
        "5\nhello\r\n0\r\n\r\n",
        "5;ext=1\nhello\r\n0\r\n\r\n",
        "5\r\nhello\n0\r\n\r\n",
        "5\r\nhelloXY\r\n0\r\n\r\n",
        "5\r\nhello\r\n0\r\nX-T: 1\n\r\n",
        "5\r\nhello\r\n0\r\nX-T: 1\r\n folded\r\n\r\n",
        "1234567890abcdef0\r\nhello\r\n0\r\n\r\n",
    })
    void aMalformedChunkedBodyIsA400RecordedAs400(String body) throws Exception {
        String response = exchangeAll("POST /notes HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n" + body);

        assertThat(response).as("answer to %s", body.replace("\r\n", "\\r\\n").replace("\n", "\\n"))
                .startsWith("HTTP/1.1 400").contains("the request's chunked body is malformed: ").contains("Connection: close");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> metrics.scrape()
                .contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"CLIENT_ERROR\",status=\"400\",uri=\"/notes\"} 1"));
        assertThat(metrics.scrape()).doesNotContain("status=\"200\",uri=\"/notes\"");
        stillServes();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // Chunked not last: Undertow decoded it as chunked and served the next request.
        "Transfer-Encoding: chunked, identity\r\n",
        "Transfer-Encoding: gzip, chunked\r\n",
        "Transfer-Encoding: identity\r\n",
        // obs-fold: a header continued on the next line, which Undertow joined with a space.
        "X-Note: a\r\n b\r\nContent-Length: 0\r\n",
        "X-Note: a\r\n\tb\r\nContent-Length: 0\r\n",
    })
    void framingHeadersRfc9112RefusesAreA400(String headers) throws IOException {
        String response = exchangeAll("POST /notes HTTP/1.1\r\nHost: test\r\n" + headers + "\r\n5\r\nhello\r\n0\r\n\r\n"
                + "GET /notes/1 HTTP/1.1\r\nHost: test\r\n\r\n");

        assertThat(response).startsWith("HTTP/1.1 400").doesNotContain("note 1");
        stillServes();
    }

    @Test
    void aFramingHeaderWhoseValueIsFarOutIsRefusedNeverReadTwoWays() throws IOException {
        for (String header : new String[] {"Content-Length:" + " ".repeat(300) + "5", "Transfer-Encoding:"
                + " ".repeat(300) + "chunked"}) {
            framingHeadersRfc9112RefusesAreA400(header + "\r\n");
        }
    }

    @Test
    void wellFramedChunkedBodiesAndPipelinedRequestsStillPass() throws IOException {
        String response = exchangeAll("POST /notes HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n0000000000000000003\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n"
                + "POST /notes HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello"
                + "GET /notes/1 HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");

        assertThat(response).contains("got 8").contains("got 5").contains("note 1");
    }

    @Test
    void aRequestWhoseClientLeftMidBodyIsRecordedAsNoResponseNot200() throws Exception {
        try (var socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("POST /notes HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "a".repeat(100)).getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            Thread.sleep(200); // the handler is waiting for the rest of the body
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metrics.scrape()
                .contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"NO_RESPONSE\",status=\"NONE\",uri=\"/notes\"} 1"));
        assertThat(metrics.scrape()).doesNotContain("status=\"200\",uri=\"/notes\"");
        stillServes();
    }

    @Test
    void aResponseTheClientNeverFullyReceivedIsRecordedAsIncomplete() throws Exception {
        try (var socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoLinger(true, 0); // closed with a reset: the server's next write fails
            socket.getOutputStream().write("GET /big HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            socket.getInputStream().readNBytes(1_000);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metrics.scrape()
                .contains("http_server_requests_seconds_count{method=\"GET\",outcome=\"INCOMPLETE\",status=\"200\",uri=\"/big\"} 1"));
        assertThat(metrics.scrape()).doesNotContain("outcome=\"SUCCESS\",status=\"200\",uri=\"/big\"");
        stillServes();
    }

    @Test
    void aChunkedBodyOverTheLimitIs413RecordedAs413AndNothingOnStderr() throws Exception {
        var chunked = new StringBuilder("POST /notes HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n");
        for (int i = 0; i < 4; i++) {
            chunked.append("200\r\n").append("a".repeat(0x200)).append("\r\n");
        }
        chunked.append("0\r\n\r\n");
        var stderr = new java.io.ByteArrayOutputStream();
        java.io.PrintStream original = System.err;
        System.setErr(new java.io.PrintStream(stderr, true, StandardCharsets.UTF_8));
        String response;
        try {
            response = exchange(chunked.toString());
        } finally {
            System.setErr(original);
        }

        assertThat(response).startsWith("HTTP/1.1 413").contains("the limit set by http.max-body-size");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> metrics.scrape()
                .contains("http_server_requests_seconds_count{method=\"POST\",outcome=\"CLIENT_ERROR\",status=\"413\",uri=\"/notes\"} 1"));
        assertThat(stderr.toString(StandardCharsets.UTF_8)).isEmpty();
        stillServes();
    }

    @Test
    void methodsOutsideTheStandardSetShareOneMetricSeries() throws IOException {
        for (int i = 0; i < 30; i++) {
            exchange("M" + i + "XYZ /x" + i + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
        }

        // A request is recorded once its exchange completes, which may be just after its client
        // has read the answer.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metrics.scrape()
                .contains("http_server_requests_seconds_count{method=\"OTHER\",outcome=\"CLIENT_ERROR\",status=\"404\",uri=\"UNMATCHED\"} 30"));
        assertThat(metrics.scrape()).doesNotContain("M1XYZ").doesNotContain("/x1");
    }

    @Test
    void bodiesBeingReadTakeNoMoreMemoryThanTheBudgetAndAreBufferedAsTheyArriveNotAsDeclared() throws Exception {
        var routes = new RouteTable();
        routes.add("POST", "/upload", ctx -> ctx.text("got " + ctx.body().length()));
        var tight = new HttpServer(CoreSettings.Http.of("127.0.0.1", 0, ByteSize.ofBytes(1024), ByteSize.ofBytes(2048),
                false, 100, Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(5)), null, routes, lifecycle,
                metrics, Map.of(), Duration.ofSeconds(2), java.util.List.of());
        tight.start();
        var stalled = new java.util.ArrayList<Socket>();
        try {
            // Two clients each declare 1000 bytes, send 900 and stall: each buffer grows with what
            // arrives (from 16 KiB at most) and is capped by the declared 1000 bytes: 2000 of 2048.
            for (int i = 0; i < 2; i++) {
                var socket = new Socket("127.0.0.1", tight.port());
                stalled.add(socket);
                socket.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n"
                        + "x".repeat(900)).getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> tight.bufferedBodyBytes() == 2000);

            // A third cannot be buffered beyond the budget: 503, retry later, and its connection closed.
            try (var third = new Socket("127.0.0.1", tight.port())) {
                third.setSoTimeout(5_000);
                third.getOutputStream().write(("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 1000\r\n\r\n"
                        + "y".repeat(1000)).getBytes(StandardCharsets.ISO_8859_1));
                String answer = new String(third.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
                assertThat(answer).startsWith("HTTP/1.1 503").contains("Retry-After: 1").contains("Connection: close")
                        .contains("too many request bodies at once");
            }
            // The stalled ones end at the body deadline, and give their bytes back.
            for (Socket socket : stalled) {
                socket.setSoTimeout(10_000);
                assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1))
                        .startsWith("HTTP/1.1 408");
            }
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> tight.bufferedBodyBytes() == 0);
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
            tight.stop();
        }
    }

    @Test
    void aBodyThatNeverArrivesDoesNotHoldTheDrainPastItsBudget() throws Exception {
        var routes = new RouteTable();
        routes.add("POST", "/upload", ctx -> ctx.text("got " + ctx.body().length()));
        // The body deadline (30 s) is far beyond the drain's budget (2 s).
        var draining = new HttpServer(CoreSettings.Http.of("127.0.0.1", 0, ByteSize.ofBytes(1024),
                ByteSize.ofBytes(64L << 20), false, 100, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(5)), null, routes, lifecycle, metrics, Map.of(), Duration.ofSeconds(2), java.util.List.of());
        draining.start();
        try (var stalled = new Socket("127.0.0.1", draining.port())) {
            stalled.setSoTimeout(20_000);
            stalled.getOutputStream().write("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 100\r\n\r\nab"
                    .getBytes(StandardCharsets.ISO_8859_1));
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> draining.bufferedBodyBytes() > 0);

            org.assertj.core.api.Assertions.assertThatThrownBy(draining::stop)
                    .hasMessage("1 requests were still in flight after 1600 ms and were cut (their handlers interrupted)");

            assertThat(draining.activeRequests()).isZero();
            String answer = new String(stalled.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 503").contains("Connection: close");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/metrics;jsessionid=1", "/%6detrics", "/health/%72eady", "/info;", "/health/ready;x=1",
            "/%2fmetrics", "/health%2fready"})
    void managementEndpointsAnswerOnlyTheirExactPaths(String path) throws IOException {
        assertThat(exchange("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 404");
        assertThat(exchange("GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
        // The absolute form, which a server must accept (RFC 9112 3.2.2), names the exact path too.
        assertThat(exchange("GET http://x/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200");
        assertThat(exchange("GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200");
    }
}
