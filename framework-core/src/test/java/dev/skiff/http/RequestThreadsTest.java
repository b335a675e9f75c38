package dev.skiff.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.RunningService;
import dev.skiff.Skiff;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Plain handlers run on a virtual thread per request, started in batches for the requests an I/O
 * thread reads in one pass: a burst of requests, more than one batch holds, whose handlers each
 * wait for all the others, is answered — no handler waits behind another of its batch.
 */
class RequestThreadsTest {

    private static final int REQUESTS = 80;

    private final CountDownLatch arrived = new CountDownLatch(REQUESTS);
    private RunningService service;

    @BeforeEach
    void start() {
        service = Skiff.start(Map.of("SHUTDOWN_DRAIN_DELAY", "0s", "LOG_LEVEL", "warn"), app -> app
                .get("/together", ctx -> {
                    arrived.countDown();
                    boolean all = arrived.await(20, TimeUnit.SECONDS);
                    ctx.text((all ? "together on " : "alone on ") + Thread.currentThread().getName());
                }));
    }

    @AfterEach
    void stop() {
        while (arrived.getCount() > 0) {
            arrived.countDown();
        }
        service.stop();
    }

    @Test
    void aBurstOfBlockingHandlersRunsAtOnce() throws IOException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < REQUESTS; i++) {
                var socket = new Socket("127.0.0.1", service.uri().getPort());
                socket.setSoTimeout(30_000);
                sockets.add(socket);
            }
            byte[] request = "GET /together HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);
            // Written back to back, so that the server reads many of them in one pass.
            for (Socket socket : sockets) {
                OutputStream out = socket.getOutputStream();
                out.write(request);
                out.flush();
            }
            for (Socket socket : sockets) {
                String response = readAll(socket.getInputStream());
                assertThat(response).startsWith("HTTP/1.1 200").endsWith("together on skiff-request");
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static String readAll(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
