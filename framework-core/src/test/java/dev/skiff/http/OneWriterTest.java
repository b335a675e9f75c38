package dev.skiff.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.App;
import dev.skiff.RunningService;
import dev.skiff.Skiff;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.slf4j.LoggerFactory;

/**
 * One writer per response, under load: well over a thousand concurrent requests through before
 * and after filters, handlers that throw, handlers that answer just as the request timeout
 * strikes, and handlers that answer after it. Every response must be whole and carry what the
 * after filter added; what the access log and the metrics record must be what the client got.
 */
class OneWriterTest {

    private static final int REQUESTS = 1_200;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Keeps events as a deferring appender must: with the log context of the thread that logged them. */
    private final ListAppender<ILoggingEvent> access = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };
    private RunningService service;
    private HttpClient client;

    /** The routes, each with the statuses it may answer. */
    private enum Kind {
        OK("/ok", 200), THROWS("/throws", 500), REFUSED("/refused", 409), FILTERED("/ok", 401),
        RACES_THE_TIMEOUT("/races", 200), AFTER_THE_TIMEOUT("/late"), STATUS_FROM_AFTER("/teapot", 418);

        final String path;
        final List<Integer> statuses;

        Kind(String path, Integer... statuses) {
            this.path = path;
            this.statuses = List.of(statuses);
        }
    }

    static void setup(App app) {
        app.before(ctx -> {
            if (ctx.header("X-Refuse").isPresent()) {
                ctx.status(401).json(Map.of("detail", "refused by a filter"));
            }
        });
        app.after(ctx -> ctx.header("X-After", ctx.requestId()));
        app.after(ctx -> {
            if (ctx.route().equals("/teapot")) {
                ctx.status(418);
            }
        });
        app.get("/ok", ctx -> ctx.json(Map.of("id", ctx.requestId())));
        app.get("/teapot", ctx -> ctx.json(Map.of("id", ctx.requestId())));
        app.get("/throws", ctx -> {
            throw new IllegalStateException("boom");
        });
        app.get("/refused", ctx -> {
            throw new HttpException(409, "refused by the handler");
        });
        // Answers within a few milliseconds either side of the 100 ms request timeout.
        app.get("/races", ctx -> {
            try {
                Thread.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextLong(85, 115)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ctx.json(Map.of("id", ctx.requestId()));
        });
        // Waits for the request timeout (which interrupts it once the server has answered 503),
        // then answers anyway: that answer must go nowhere.
        app.get("/late", ctx -> {
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Thread.interrupted() && System.nanoTime() < giveUp) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            ctx.status(200).header("X-Late", "yes").json(Map.of("id", ctx.requestId()));
        });
    }

    @BeforeEach
    void start() {
        service = Skiff.start(Map.of("HTTP_REQUEST_TIMEOUT", "100ms", "HTTP_MAX_CONCURRENT_REQUESTS", "5000",
                "SHUTDOWN_DRAIN_DELAY", "0s", "LOG_LEVEL", "warn", "LOG_LEVELS", "skiff.access=info"),
                OneWriterTest::setup);
        // The access events go to this list only, not to stdout.
        Logger logger = (Logger) LoggerFactory.getLogger("skiff.access");
        logger.setAdditive(false);
        logger.setLevel(Level.INFO);
        access.start();
        logger.addAppender(access);
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        Logger logger = (Logger) LoggerFactory.getLogger("skiff.access");
        logger.detachAppender(access);
        logger.setAdditive(true);
        service.stop();
        client.close();
    }

    private record Sent(Kind kind, String requestId, CompletableFuture<HttpResponse<String>> response) {}

    @RepeatedTest(3)
    void everyResponseHasOneWriterAndTheRecordsAgreeWithWhatTheClientGot() throws Exception {
        URI base = service.uri();
        Kind[] kinds = Kind.values();
        var sent = new ArrayList<Sent>();
        for (int i = 0; i < REQUESTS; i++) {
            Kind kind = kinds[i % kinds.length];
            String requestId = "race-" + i;
            var request = HttpRequest.newBuilder(base.resolve(kind.path)).timeout(Duration.ofSeconds(60))
                    .header("X-Request-Id", requestId);
            if (kind == Kind.FILTERED) {
                request.header("X-Refuse", "yes");
            }
            sent.add(new Sent(kind, requestId, client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())));
        }

        var got = new HashMap<String, Integer>();
        var problems = new ArrayList<String>();
        var timedOut = new java.util.EnumMap<Kind, Integer>(Kind.class);
        for (Sent one : sent) {
            HttpResponse<String> response = one.response().get(60, TimeUnit.SECONDS);
            int status = response.statusCode();
            got.put(one.requestId(), status);
            String what = one.kind() + " " + one.requestId() + " -> " + status + " " + response.headers().map() + " "
                    + response.body();
            if (!response.headers().firstValue("X-Request-Id").orElse("").equals(one.requestId())) {
                problems.add("wrong request id: " + what);
            }
            if (response.headers().firstValue("X-Late").isPresent()) {
                problems.add("a handler's answer after the timeout reached the client: " + what);
            }
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (Exception e) {
                problems.add("the body is not whole JSON: " + what);
                continue;
            }
            if (status == 503) {
                // The server answered for a handler past the 100 ms timeout: any request may be
                // one on a starved machine. Its answer is the server's alone.
                timedOut.merge(one.kind(), 1, Integer::sum);
                if (!body.path("detail").asText().equals("the request took longer than 100 ms")
                        || body.path("status").asInt() != 503 || response.headers().firstValue("X-After").isPresent()) {
                    problems.add("a 503 that is not the timeout's own answer: " + what);
                }
                continue;
            }
            if (!one.kind().statuses.contains(status)) {
                problems.add("unexpected status: " + what);
                continue;
            }
            if (!response.headers().firstValue("X-After").orElse("").equals(one.requestId())) {
                problems.add("the after filter's header is missing: " + what);
            }
            if (status == 200 || status == 418) {
                if (!body.path("id").asText().equals(one.requestId())) {
                    problems.add("another request's body: " + what);
                }
            } else if (status != 401 && body.path("status").asInt() != status) {
                problems.add("the problem's status differs from the response's: " + what);
            }
        }
        assertThat(problems).isEmpty();
        assertThat(timedOut.getOrDefault(Kind.AFTER_THE_TIMEOUT, 0)).as("every /late request is answered by the timeout")
                .isEqualTo(REQUESTS / kinds.length + (REQUESTS % kinds.length > Kind.AFTER_THE_TIMEOUT.ordinal() ? 1 : 0));

        // Every exchange is recorded once it completes; the last may trail the client's read.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
                .until(() -> access.list.size() >= REQUESTS);
        var logged = new HashMap<String, Integer>();
        for (ILoggingEvent event : List.copyOf(access.list)) {
            var fields = new HashMap<String, Object>();
            event.getKeyValuePairs().forEach(pair -> fields.put(pair.key, pair.value));
            String requestId = String.valueOf(event.getMDCPropertyMap().getOrDefault("request_id",
                    String.valueOf(fields.get("request_id"))));
            Integer previous = logged.put(requestId, (Integer) fields.get("http.response.status_code"));
            assertThat(previous).as("one access event for %s", requestId).isNull();
        }
        assertThat(logged).isEqualTo(got);

        var counted = new TreeMap<String, Long>();
        for (Timer timer : service.metrics().find("http.server.requests").timers()) {
            counted.merge(timer.getId().getTag("status"), timer.count(), Long::sum);
        }
        var expected = new TreeMap<String, Long>();
        got.values().forEach(status -> expected.merge(Integer.toString(status), 1L, Long::sum));
        assertThat(counted).isEqualTo(expected);
    }
}
