package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * At most 1 + retries copies of a call reach a backing service, each counted: the JDK's client
 * would send a GET again on its own when a connection closes before the answer.
 */
class BackingServiceCopiesIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * A backing service that answers the first request it ever gets, keeping the connection, and
     * then reads every request and closes its connection without an answer.
     */
    private static final class ClosingBackend implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger requests = new AtomicInteger();
        final Thread acceptor;

        ClosingBackend() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofPlatform().daemon().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket socket = server.accept();
                        Thread.ofPlatform().daemon().start(() -> serve(socket));
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
        }

        private void serve(Socket socket) {
            try (socket) {
                InputStream in = socket.getInputStream();
                while (readHead(in)) {
                    if (requests.incrementAndGet() > 1) {
                        return; // read, and closed without a word
                    }
                    socket.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                            .getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException gone) {
                // the client left
            }
        }

        /** Reads one request's head (no body: GETs only); false at the end of the stream. */
        private static boolean readHead(InputStream in) throws IOException {
            int matched = 0;
            for (int b; (b = in.read()) >= 0; ) {
                matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
                if (matched == 4) {
                    return true;
                }
            }
            return false;
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort());
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2})
    void atMostOnePlusRetriesCopiesReachTheService(int retries) throws Exception {
        try (var backend = new ClosingBackend();
             var app = AppProcess.startClass(BackendCallApp.class, Map.of("PORT", "0",
                     "BACKEND_URL", backend.uri().toString(), "BACKEND_RETRIES", Integer.toString(retries)));
             var http = HttpClient.newBuilder().build()) {
            URI base = app.awaitListening(WAIT);
            HttpResponse<String> first = http.send(HttpRequest.newBuilder(base.resolve("/call")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(first.body()).isEqualTo("backend answered 200");

            // The next call goes out on the kept connection, which the backend closes unanswered.
            HttpResponse<String> second = http.send(HttpRequest.newBuilder(base.resolve("/call")).timeout(WAIT).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(second.statusCode()).isEqualTo(503);
            assertThat(backend.requests.get() - 1).as("copies of the second call").isEqualTo(1 + retries);

            String metrics = http.send(HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            long attempts = metrics.lines().filter(line -> line.startsWith("http_client_requests_seconds_count{")
                    && line.contains("client=\"backend\"")).mapToLong(line -> (long) Double.parseDouble(
                    line.substring(line.lastIndexOf(' ') + 1))).sum();
            assertThat(attempts).as("every attempt in the metrics").isEqualTo(backend.requests.get());
            app.signal(AppProcess.Signal.TERM);
            assertThat(app.awaitExit(WAIT)).isZero();
        }
    }
}
