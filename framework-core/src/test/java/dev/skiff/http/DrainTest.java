package dev.skiff.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.skiff.RunningService;
import dev.skiff.Skiff;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * The drain with nothing set, on real sockets: a load balancer that probes readiness as HAProxy
 * does (HTTP/1.0, no User-Agent, a new connection each time) and stops routing after two failed
 * probes loses no request; with nothing routing here, the drain does not wait. Behind a real
 * HAProxy at several cadences, this is the rolling-restart drill (bench/drills).
 */
class DrainTest {

    private final ListAppender<ILoggingEvent> decisions = new ListAppender<>();
    private final Logger drainLogger = (Logger) LoggerFactory.getLogger("dev.skiff.http.drain.internal.TrafficAwareDrain");
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private RunningService service;

    @BeforeEach
    void listen() {
        decisions.start();
        drainLogger.addAppender(decisions);
    }

    @AfterEach
    void stop() {
        drainLogger.detachAppender(decisions);
        if (service != null) {
            service.stop();
        }
        client.close();
    }

    private void start(Map<String, String> env) {
        var settings = new HashMap<>(env);
        settings.put("HOST", "127.0.0.1");
        settings.put("HTTP_ACCESS_LOG", "false");
        service = Skiff.start(settings, app -> app.get("/work", ctx -> ctx.text("done")));
    }

    /** A load balancer: probes every 100 ms, stops routing after two failed probes in a row. */
    private final class Balancer implements Runnable {
        final AtomicBoolean routes = new AtomicBoolean();
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger probes = new AtomicInteger();
        private int failed;

        @Override
        public void run() {
            while (running.get()) {
                int status = probe();
                probes.incrementAndGet();
                failed = status == 200 ? 0 : failed + 1;
                if (status == 200) {
                    routes.set(true);
                } else if (failed >= 2) {
                    routes.set(false);
                }
                sleep(100);
            }
        }

        private int probe() {
            try (Socket socket = new Socket(service.managementUri().getHost(), service.managementUri().getPort())) {
                socket.setSoTimeout(2_000);
                OutputStream out = socket.getOutputStream();
                out.write("GET /health/ready HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
                return Integer.parseInt(head.substring(9, 12));
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> decision() {
        assertThat(decisions.list).as("one decision, logged once").hasSize(1);
        var fields = new HashMap<String, Object>();
        fields.put("message", decisions.list.getFirst().getFormattedMessage());
        decisions.list.getFirst().getKeyValuePairs().forEach(pair -> fields.put(pair.key, pair.value));
        return fields;
    }

    @Test
    void aBalancerThatFollowsReadinessLosesNoRequest() throws Exception {
        start(Map.of());
        var balancer = new Balancer();
        Thread probing = Thread.ofPlatform().name("balancer").start(balancer);
        // The balancer's cadence, seen before the signal.
        await().atMost(Duration.ofSeconds(20)).until(() -> balancer.routes.get() && balancer.probes.get() >= 8);
        var served = new AtomicInteger();
        var stopping = new AtomicBoolean();
        var afterSignal = new AtomicInteger();
        var failures = new AtomicInteger();
        var failureSeen = new StringBuilder();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            // Requests only while the balancer routes here, as through it.
            while (balancer.routes.get() || !stopping.get()) {
                if (!balancer.routes.get()) {
                    sleep(5);
                    continue;
                }
                try {
                    var answer = client.send(HttpRequest.newBuilder(service.uri().resolve("/work"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() != 200) {
                        failures.incrementAndGet();
                        failureSeen.append(answer.statusCode()).append(' ');
                    }
                } catch (IOException e) {
                    failures.incrementAndGet();
                    failureSeen.append(e).append(' ');
                } catch (InterruptedException e) {
                    return;
                }
                served.incrementAndGet();
                if (stopping.get()) {
                    afterSignal.incrementAndGet();
                }
                sleep(2);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(() -> served.get() >= 50);
        stopping.set(true);
        assertThat(service.stop().clean()).isTrue();
        load.get();
        balancer.running.set(false);
        probing.join();

        assertThat(failures.get()).as("failed requests: %s", failureSeen).isZero();
        assertThat(afterSignal.get()).as("requests served during the drain").isPositive();
        Map<String, Object> decision = decision();
        assertThat(decision.get("drain.noticed")).isEqualTo(true);
        assertThat((String) decision.get("message")).matches("drained for \\d+ ms: readiness probed every 1\\d\\d ms by"
                + " 127\\.0\\.0\\.1 \\(no User-Agent; HTTP/1\\.0 with no other header\\), its last request \\d+ ms after SIGTERM,"
                + " \\d+ probes answered 503");
    }

    @Test
    void withNothingRoutingHereTheDrainDoesNotWait() throws Exception {
        start(Map.of());
        for (int i = 0; i < 20; i++) {
            client.send(HttpRequest.newBuilder(service.uri().resolve("/work")).build(), HttpResponse.BodyHandlers.ofString());
        }
        service.stop();

        Map<String, Object> decision = decision();
        assertThat(decision.get("drain.noticed")).isEqualTo(true);
        assertThat(decision.get("message")).isEqualTo("drained for " + decision.get("drain_ms") + " ms: no load balancer"
                + " probed readiness and no request came from another machine in the 3 s before");
    }

    @Test
    void onKubernetesTheFloorHoldsWithNothingRoutingHere() {
        start(Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1"));
        service.stop();

        Map<String, Object> decision = decision();
        assertThat((long) decision.get("drain_ms")).isGreaterThanOrEqualTo(5_000);
        assertThat(decision.get("message")).asString().startsWith("drained for ")
                .endsWith(" ms: at least 5000 ms on Kubernetes; no load balancer probed readiness and no request came"
                        + " from another machine in the 3 s before");
        assertThat(List.of(decision.get("drain.noticed"))).containsExactly(true);
    }
}
