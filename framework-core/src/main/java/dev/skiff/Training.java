package dev.skiff;

import dev.skiff.http.internal.HttpServer;
import dev.skiff.http.internal.ManagementEndpoints;
import dev.skiff.http.internal.RouteTable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code train} command's requests: once the service is ready, one request to each GET route
 * without path parameters, to each management endpoint and to a path no route has, so that the
 * classes a request needs — routing, the handlers, JSON, problems, metrics, logging — are loaded
 * and linked while the JVM records them for its AOT cache ({@code -XX:AOTCacheOutput}); then one
 * body read by the JSON mapper, which no GET needs.
 *
 * <p>Plain HTTP/1.1 over a socket: a client library's classes would land in the cache and be
 * loaded at every start for nothing.
 */
final class Training {

    private static final Logger log = LoggerFactory.getLogger(Training.class);
    private static final int TIMEOUT_MS = 10_000;

    private Training() {}

    /** Sends the training requests and logs what they were answered; a failed one is logged, not fatal. */
    static void exercise(HttpServer server, RouteTable routes) {
        String host = server.host().equals("0.0.0.0") || server.host().equals("::") ? "127.0.0.1" : server.host();
        List<String> paths = new ArrayList<>();
        for (String template : routes.templates()) {
            if (!template.contains("{") && routes.methods(template).contains("GET")) {
                paths.add(template.isEmpty() ? "/" : template);
            }
        }
        paths.add("/skiff-training/no-such-route");
        Map<String, Integer> statuses = new TreeMap<>();
        for (String path : paths) {
            statuses.put(path, get(host, server.port(), path));
        }
        for (String path : ManagementEndpoints.PATHS) {
            statuses.put(path, get(host, server.managementPort(), path));
        }
        // The JSON mapper, which answers of plain shapes do without: the first body a route reads
        // (no GET here reads one) makes it, about 500 classes that belong in the cache too.
        try {
            routes.json().read("{\"training\":[1]}".getBytes(StandardCharsets.UTF_8), Map.class);
        } catch (IOException | RuntimeException e) {
            log.atInfo().setMessage("training: the JSON mapper could not read a body: {}").addArgument(e.toString()).log();
        }
        log.atInfo().setMessage("training: {} requests answered {}; stopping").addArgument(statuses.size())
                .addArgument(statuses).log();
    }

    /** {@return the status of a GET, or -1 when it failed} */
    private static int get(String host, int port, String path) {
        try (var socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MS);
            socket.setSoTimeout(TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUser-Agent: skiff-train\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            // The whole answer within the timeout, not each read: a stream that never ends (events
            // sent every few seconds) would otherwise hold the training run, and the build, for good.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
            var head = new StringBuilder();
            byte[] buffer = new byte[8192];
            while (true) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                int read = -1;
                if (left > 0) {
                    socket.setSoTimeout((int) left);
                    try {
                        read = in.read(buffer);
                    } catch (java.net.SocketTimeoutException stillAnswering) {
                        left = 0;
                    }
                }
                if (left <= 0) {
                    log.atWarn().setMessage("training: GET {} had not finished its answer after {} ms (a stream?); left there")
                            .addArgument(path).addArgument(TIMEOUT_MS).log();
                    break;
                }
                if (read < 0) {
                    break;
                }
                if (head.length() < 12) {
                    head.append(new String(buffer, 0, read, StandardCharsets.ISO_8859_1));
                }
            }
            // "HTTP/1.1 200 OK"
            return head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            log.atWarn().setMessage("training: GET {} failed: {}").addArgument(path).addArgument(e.toString()).log();
            return -1;
        }
    }
}
