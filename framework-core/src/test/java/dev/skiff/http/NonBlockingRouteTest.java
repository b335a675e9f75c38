package dev.skiff.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.skiff.RunningService;
import dev.skiff.Skiff;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Routes declared with {@link Handler#nonBlocking}: served on the connection's I/O thread only
 * when the handler and every filter around it are non-blocking and the request has no body;
 * streaming refused with a message that says why; a slow call reported once per route; and the
 * rest of the pipeline (request id, after filters, errors, the access log) as for any route.
 */
class NonBlockingRouteTest {

    /** Keeps events as a deferring appender must: with the log context of the thread that logged them. */
    private final ListAppender<ILoggingEvent> events = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };
    private final CountDownLatch release = new CountDownLatch(1);
    private RunningService service;
    private HttpClient client;

    @BeforeEach
    void start() {
        service = Skiff.start(Map.of("SHUTDOWN_DRAIN_DELAY", "0s", "LOG_LEVEL", "warn", "LOG_LEVELS", "skiff.access=info"),
                app -> {
                    app.after(Handler.nonBlocking(ctx -> ctx.header("X-After", "yes")));
                    app.get("/fast", Handler.nonBlocking(ctx -> ctx.text(Thread.currentThread().getName())));
                    app.post("/fast", Handler.nonBlocking(ctx -> ctx.text(Thread.currentThread().getName()
                            + " read " + ctx.body().length())));
                    app.get("/blocking", ctx -> ctx.text(Thread.currentThread().getName()));
                    app.get("/fails", Handler.nonBlocking(ctx -> {
                        throw new IllegalStateException("boom");
                    }));
                    app.get("/streams", Handler.nonBlocking(ctx -> ctx.stream("text/plain").write(1)));
                    app.get("/slow", Handler.nonBlocking(ctx -> {
                        Thread.sleep(30);
                        ctx.text("late");
                    }));
                    app.get("/waits", ctx -> {
                        release.await(10, TimeUnit.SECONDS);
                        ctx.text("released");
                    });
                    app.group("/guarded", group -> {
                        group.before(ctx -> { }); // may block: the group's routes go to virtual threads
                        group.get("/fast", Handler.nonBlocking(ctx -> ctx.text(Thread.currentThread().getName())));
                    });
                });
        for (String name : List.of("skiff.access", "dev.skiff.http.internal.Pipeline")) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.setAdditive(false);
            logger.addAppender(events);
        }
        events.start();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        release.countDown();
        for (String name : List.of("skiff.access", "dev.skiff.http.internal.Pipeline")) {
            Logger logger = (Logger) LoggerFactory.getLogger(name);
            logger.detachAppender(events);
            logger.setAdditive(true);
        }
        service.stop();
        client.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return service.uri().resolve(path);
    }

    @Test
    void aNonBlockingRouteIsServedOnTheIoThreadWithEverythingElseAsUsual() throws Exception {
        HttpResponse<String> fast = get("/fast");
        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(fast.body()).startsWith("skiff-http I/O");
        assertThat(fast.headers().firstValue("X-After")).contains("yes");
        assertThat(fast.headers().firstValue("X-Request-Id")).isPresent();
        assertThat(get("/blocking").body()).isEqualTo("skiff-request");

        HttpResponse<String> failed = get("/fails");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("X-After")).contains("yes");
        assertThat(events.list).anySatisfy(event -> assertThat(event.getLoggerName()).isEqualTo("skiff.access"));
    }

    @Test
    void aBlockingFilterOrABodySendsTheRequestToAVirtualThread() throws Exception {
        assertThat(get("/guarded/fast").body()).isEqualTo("skiff-request");
        HttpResponse<String> posted = client.send(HttpRequest.newBuilder(uri("/fast"))
                .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(posted.body()).isEqualTo("skiff-request read 5");
    }

    @Test
    void aNonBlockingRouteIsAnsweredWhileBlockingHandlersWait() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(client.sendAsync(HttpRequest.newBuilder(uri("/waits")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(get("/fast").statusCode()).isEqualTo(200);
        assertThat(waiting).noneMatch(CompletableFuture::isDone);
        release.countDown();
        for (var response : waiting) {
            assertThat(response.get(10, TimeUnit.SECONDS).body()).isEqualTo("released");
        }
    }

    @Test
    void streamingIsRefusedWithTheReason() throws Exception {
        HttpResponse<String> streamed = get("/streams");
        assertThat(streamed.statusCode()).isEqualTo(500);
        assertThat(events.list).anySatisfy(event -> assertThat(event.getThrowableProxy().getMessage())
                .contains("Handler.nonBlocking cannot stream").contains("remove Handler.nonBlocking"));
    }

    @Test
    void slowCallsAreReportedOncePerRouteAndNotForAColdFirstCall() throws Exception {
        assertThat(get("/slow").body()).isEqualTo("late");
        assertThat(events.list).noneSatisfy(event -> assertThat(event.getFormattedMessage()).contains("declared non-blocking"));
        for (int i = 0; i < 4; i++) {
            assertThat(get("/slow").body()).isEqualTo("late");
        }
        assertThat(events.list.stream().filter(event -> event.getFormattedMessage().contains("declared non-blocking")))
                .singleElement()
                .satisfies(event -> {
                    assertThat(event.getFormattedMessage()).contains("GET /slow").contains("ms on the I/O thread");
                    assertThat(event.getMDCPropertyMap()).containsKey("request_id");
                });
    }

    @Test
    void theAccessLogCarriesTheRequestIdAndTraceOnBothPaths() throws Exception {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        for (String path : List.of("/fast", "/blocking")) {
            client.send(HttpRequest.newBuilder(uri(path)).header("traceparent", traceparent)
                    .header("X-Request-Id", "id" + path.substring(1)).build(), HttpResponse.BodyHandlers.ofString());
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> events.list.stream()
                .filter(event -> event.getLoggerName().equals("skiff.access")).count() >= 2);
        for (String id : List.of("idfast", "idblocking")) {
            assertThat(events.list).filteredOn(event -> event.getLoggerName().equals("skiff.access"))
                    .filteredOn(event -> id.equals(event.getMDCPropertyMap().get("request_id")))
                    .singleElement()
                    .satisfies(event -> assertThat(event.getMDCPropertyMap())
                            .containsEntry("trace.id", "4bf92f3577b34da6a3ce929d0e0e4736"));
        }
    }
}
