package dev.skiff.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

/** The JSON encoder as a pure function over real Logback events: one event in, one JSON line out. */
class JsonEncodingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "canary-7f3a9b2c";
    private static final int CAP = 16_384;

    private final LoggerContext context = newContext();

    private static LoggerContext newContext() {
        var context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        return context;
    }
    private final Logger logger = context.getLogger("com.example.Orders");
    private final Encoder<ILoggingEvent> encoder = StdoutAppender.jsonEncoder(context,
            Map.of("service.name", "orders", "service.version", "1.2.3"),
            new Redactor(() -> Set.of(SECRET), List.of(Pattern.compile("card=\\d+")), CAP));

    private LoggingEvent event(String message, Object... args) {
        var event = new LoggingEvent("test", logger, Level.INFO, message, null, args);
        event.setThreadName("worker-1");
        event.setTimeStamp(1_764_000_000_123L);
        return event;
    }

    private String line(LoggingEvent event) {
        return new String(encoder.encode(event), StandardCharsets.UTF_8);
    }

    private JsonNode encode(LoggingEvent event) throws Exception {
        String line = line(event);
        assertThat(line).startsWith("{\"").endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n").doesNotContain("\r");
        return JSON.readTree(line);
    }

    @Test
    void writesTheDocumentedSchema() throws Exception {
        LoggingEvent event = event("order {} placed by {}", 42, "ada");
        event.setKeyValuePairs(List.of(new KeyValuePair("order.id", 42), new KeyValuePair("amount", 9.5),
                new KeyValuePair("express", true)));
        event.setMDCPropertyMap(Map.of("request_id", "req-1", "trace.id", "4bf92f3577b34da6a3ce929d0e0e4736"));

        JsonNode json = encode(event);

        assertThat(json.get("@timestamp").asText()).isEqualTo("2025-11-24T16:00:00.123Z");
        assertThat(json.get("log.level").asText()).isEqualTo("INFO");
        assertThat(json.get("message").asText()).isEqualTo("order 42 placed by ada");
        assertThat(json.get("log.logger").asText()).isEqualTo("com.example.Orders");
        assertThat(json.get("process.thread.name").asText()).isEqualTo("worker-1");
        assertThat(json.get("service.name").asText()).isEqualTo("orders");
        assertThat(json.get("service.version").asText()).isEqualTo("1.2.3");
        assertThat(json.get("ecs.version").asText()).isEqualTo("8.11.0");
        assertThat(json.get("request_id").asText()).isEqualTo("req-1");
        assertThat(json.get("trace.id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(json.get("order.id").asInt()).isEqualTo(42);
        assertThat(json.get("amount").asDouble()).isEqualTo(9.5);
        assertThat(json.get("express").asBoolean()).isTrue();
        assertThat(json.has("@version")).isFalse();
        assertThat(json.has("level_value")).isFalse();
    }

    @Test
    void writesAnErrorAsTypeMessageAndOneStackTraceString() throws Exception {
        var event = new LoggingEvent("test", logger, Level.ERROR, "failed", new IllegalStateException("disk full",
                new java.io.IOException("no space")), null);

        JsonNode json = encode(event);

        assertThat(json.get("error.type").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(json.get("error.message").asText()).isEqualTo("disk full");
        assertThat(json.get("error.stack_trace").asText())
                .startsWith("java.lang.IllegalStateException: disk full")
                .contains("Caused by: java.io.IOException: no space");
    }

    @Test
    void escapesWhatWouldBreakALine() throws Exception {
        String nasty = "quote \" backslash \\ newline \n return \r tab \t bell \u0007 nul \u0000 "
                + "unicode é ✓ 🚀 lone surrogate \ud800 end";

        JsonNode json = encode(event(nasty));

        assertThat(json.get("message").asText()).startsWith("quote \" backslash \\ newline \n return \r tab \t bell \u0007")
                .contains("unicode é ✓ 🚀").endsWith(" end");
    }

    @Test
    void nullArgumentsAndANullMessageStillMakeOneLine() throws Exception {
        assertThat(encode(event("value {} and {}", null, null)).get("message").asText()).isEqualTo("value null and null");
        assertThat(encode(event(null)).get("log.level").asText()).isEqualTo("INFO");
    }

    @Test
    void capsHugeFieldsAndSaysHowMuchWasCut() throws Exception {
        String huge = "x".repeat(100_000);

        JsonNode json = encode(event(huge));

        assertThat(json.get("message").asText()).hasSize(CAP + "…[83616 characters cut]".length())
                .endsWith("…[83616 characters cut]");
    }

    @Test
    void survivesACycleInTheCauseChainAndAThousandFrames() throws Exception {
        var first = new IllegalStateException("first");
        var second = new IllegalArgumentException("second", first);
        first.initCause(second);
        var deep = new RuntimeException("deep");
        deep.setStackTrace(java.util.stream.IntStream.range(0, 1000)
                .mapToObj(i -> new StackTraceElement("com.example.Deep", "call" + i, "Deep.java", i))
                .toArray(StackTraceElement[]::new));

        JsonNode cyclic = encode(new LoggingEvent("t", logger, Level.ERROR, "cycle", first, null));
        JsonNode thousand = encode(new LoggingEvent("t", logger, Level.ERROR, "deep", deep, null));

        assertThat(cyclic.get("error.stack_trace").asText()).contains("second");
        assertThat(thousand.get("error.stack_trace").asText()).startsWith("java.lang.RuntimeException: deep")
                .contains("call0(").endsWith(" characters cut]").hasSizeLessThan(CAP + 40);
    }

    @Test
    void masksSecretsWhereverTheyAppear() throws Exception {
        var event = new LoggingEvent("t", logger, Level.WARN,
                "calling postgres://app:" + SECRET + "@db/x with Authorization: Bearer abc.def.ghi and card=4111111111111111",
                new IllegalStateException("token " + SECRET + " rejected"), null);
        event.setKeyValuePairs(List.of(new KeyValuePair("token", SECRET), new KeyValuePair("header", "Cookie: session=xyz")));
        event.setMDCPropertyMap(Map.of("user", "has " + SECRET));

        String line = line(event);

        assertThat(line).doesNotContain(SECRET).doesNotContain("abc.def.ghi").doesNotContain("session=xyz")
                .doesNotContain("4111111111111111");
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("message").asText())
                .isEqualTo("calling postgres://app:******@db/x with Authorization: ****** and ******");
        assertThat(json.get("token").asText()).isEqualTo("******");
        assertThat(json.get("error.message").asText()).isEqualTo("token ****** rejected");
    }

    @Test
    void eventsEncodedAtOnceOnManyThreadsComeOutWholeAndTheirOwn() throws Exception {
        var lines = new java.util.concurrent.ConcurrentHashMap<String, String>();
        try (var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 2_000; i++) {
                String id = "event-" + i;
                Runnable task = () -> {
                    LoggingEvent event = event(id + " {}", "x".repeat(id.length() * 40));
                    event.setKeyValuePairs(List.of(new KeyValuePair("id", id), new KeyValuePair("list", List.of(id))));
                    lines.put(id, line(event));
                };
                if (i % 2 == 0) {
                    threads.submit(task);
                } else {
                    Thread.ofPlatform().start(task).join();
                }
            }
        }
        assertThat(lines).hasSize(2_000);
        for (var entry : lines.entrySet()) {
            JsonNode json = JSON.readTree(entry.getValue());
            assertThat(entry.getValue()).startsWith("{\"@timestamp\"");
            assertThat(json.get("id").asText()).isEqualTo(entry.getKey());
            assertThat(json.get("list").get(0).asText()).isEqualTo(entry.getKey());
            assertThat(json.get("message").asText()).startsWith(entry.getKey() + " xxx");
        }
    }

    /** A key-value of the application's own type. */
    public record Login(String user, String password, Map<String, Object> extra, byte[] raw) {}

    /** A key-value whose serialization fails. */
    public record Broken(String note) {
        public String getExplosion() {
            throw new IllegalStateException("no");
        }

        @Override
        public String toString() {
            return "broken " + note;
        }
    }

    @Test
    void masksSecretsInsideObjectsListsAndMapsGivenAsKeyValues() throws Exception {
        var event = event("login");
        event.setKeyValuePairs(List.of(new KeyValuePair("login", new Login("ada", SECRET,
                        Map.of(SECRET, List.of("x " + SECRET), "n", 7), SECRET.getBytes(StandardCharsets.UTF_8))),
                new KeyValuePair("when", java.time.Instant.parse("2025-11-26T16:00:00Z"))));

        String line = line(event);

        assertThat(line).doesNotContain(SECRET)
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
        JsonNode login = JSON.readTree(line).get("login");
        assertThat(login.get("user").asText()).isEqualTo("ada");
        assertThat(login.get("password").asText()).isEqualTo("******");
        assertThat(login.get("extra").get("******").get(0).asText()).isEqualTo("x ******");
        assertThat(login.get("extra").get("n").asInt()).isEqualTo(7);
        assertThat(JSON.readTree(line).get("when").asText()).isEqualTo("2025-11-26T16:00:00Z");
    }

    /** A record with a raw JSON member: raw JSON would bypass redaction. */
    public record Raw(@com.fasterxml.jackson.annotation.JsonRawValue String json) {}

    @Test
    void rawJsonAndBinaryStreamsInKeyValuesAreRedactedToo() throws Exception {
        var direct = java.nio.ByteBuffer.allocateDirect(SECRET.length());
        direct.put(SECRET.getBytes(StandardCharsets.UTF_8)).flip();
        var event = event("values");
        event.setKeyValuePairs(List.of(new KeyValuePair("direct", direct),
                new KeyValuePair("readOnly", java.nio.ByteBuffer.wrap(SECRET.getBytes(StandardCharsets.UTF_8)).asReadOnlyBuffer()),
                new KeyValuePair("raw", new Raw("{\"token\":\"" + SECRET + "\"}")),
                new KeyValuePair("rawValue", List.of(new com.fasterxml.jackson.databind.util.RawValue(SECRET)))));

        String line = line(event);

        assertThat(line).doesNotContain(SECRET)
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThat(JSON.readTree(line).get("message").asText()).isEqualTo("values");
    }

    @Test
    void aLoneSurrogateOrAToStringWithoutEndDoesNotLoseTheEvent() throws Exception {
        var first = new java.util.ArrayList<Object>();
        var second = new java.util.ArrayList<Object>();
        first.add(second);
        second.add(first);
        var event = event("kept");
        event.setKeyValuePairs(List.of(new KeyValuePair("tags", List.of("a\uD800b")),
                new KeyValuePair("cycle", first), new KeyValuePair("after", 1)));

        JsonNode json = encode(event);

        assertThat(json.get("tags").get(0).asText()).isEqualTo("a\uD800b");
        assertThat(json.get("cycle").asText()).contains("java.util.ArrayList").contains("StackOverflowError");
        assertThat(json.get("after").asInt()).isEqualTo(1);
    }

    @Test
    void aKeyValueThatCannotBeSerializedIsWrittenAsItsTextAndTheEventIsKept() throws Exception {
        var event = event("kept");
        var loop = new java.util.HashMap<String, Object>();
        loop.put("me", loop);
        event.setKeyValuePairs(List.of(new KeyValuePair("order.id", 42), new KeyValuePair("broken", new Broken(SECRET)),
                new KeyValuePair("loop", List.of(loop))));

        JsonNode json = encode(event);

        assertThat(json.get("loop").asText()).startsWith("[{me=");
        assertThat(json.get("message").asText()).isEqualTo("kept");
        assertThat(json.get("order.id").asInt()).isEqualTo(42);
        assertThat(json.get("broken").asText()).isEqualTo("broken ******");
    }

    @Test
    void masksSecretsInTheMessagesOfCausesAndSuppressedThrowables() throws Exception {
        var cause = new java.io.IOException("server said Authorization: Basic dXNlcjpwYXNz");
        var error = new IllegalStateException("login failed for " + SECRET, cause);
        error.addSuppressed(new IllegalArgumentException("retry to postgres://app:hunter22@db/x failed"));

        String trace = encode(new LoggingEvent("t", logger, Level.ERROR, "failed", error, null))
                .get("error.stack_trace").asText();

        assertThat(trace).doesNotContain(SECRET).doesNotContain("dXNlcjpwYXNz").doesNotContain("hunter22")
                .startsWith("java.lang.IllegalStateException: login failed for ******")
                .contains("Caused by: java.io.IOException: server said Authorization: ******")
                .contains("Suppressed: java.lang.IllegalArgumentException: retry to postgres://app:******@db/x failed")
                .contains("\tat dev.skiff.logging.internal.JsonEncodingTest.");
    }

    @Test
    void masksTheEncodedFormsOfASecretToo() throws Exception {
        String encoded = java.util.Base64.getEncoder().encodeToString(SECRET.getBytes(StandardCharsets.UTF_8));

        assertThat(line(event("basic " + encoded + " url " + java.net.URLEncoder.encode(SECRET + "/x", StandardCharsets.UTF_8))))
                .doesNotContain(encoded).doesNotContain(SECRET);
    }

    private static final Map<String, String> DOCUMENTED_FIELDS = Map.of("service.name", "notes",
            "service.version", "0.1.0", "service.environment", "production", "service.node.name", "notes-7d9f8-x2k4q");

    /** The event docs/logging.md shows, encoded, with its stack trace cut to the first line. */
    private String documentedEvent(Encoder<ILoggingEvent> documentedEncoder, String stackTraceField)
            throws Exception {
        var event = new LoggingEvent("t", context.getLogger("com.example.notes.NotesApi"), Level.ERROR,
                "could not save note {}", new IllegalStateException("connection reset"), new Object[] {42});
        event.setThreadName("skiff-request");
        event.setTimeStamp(1_764_172_800_123L);
        // The trace flags are in the context, for calls made while serving, and in no line.
        event.setMDCPropertyMap(new java.util.TreeMap<>(Map.of("request_id", "3f1c7a52",
                "trace.id", "4bf92f3577b34da6a3ce929d0e0e4736", "span.id", "00f067aa0ba902b7", "trace.flags", "01")));
        event.setKeyValuePairs(List.of(new KeyValuePair("note.id", 42)));
        var written = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(documentedEncoder.encode(event));
        // The stack trace depends on the test runner's frames; the docs shorten it to its first line.
        assertThat(written.get(stackTraceField).asText()).startsWith("java.lang.IllegalStateException: connection reset\n\tat ");
        written.put(stackTraceField, "java.lang.IllegalStateException: connection reset\n\tat ...");
        return JSON.writeValueAsString(written);
    }

    private String example(String name) throws Exception {
        try (var in = getClass().getResourceAsStream("/examples/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    @Test
    void theDocumentedExampleIsWhatTheEncoderWrites() throws Exception {
        var documentedEncoder = StdoutAppender.jsonEncoder(context, DOCUMENTED_FIELDS,
                new Redactor(java.util.Set::of, List.of(), CAP));

        assertThat(documentedEvent(documentedEncoder, "error.stack_trace")).isEqualTo(example("event.json"));
    }

    @Test
    void theGoogleCloudFormatUsesTheFieldsCloudLoggingReads() throws Exception {
        var gcp = StdoutAppender.gcpEncoder(context, DOCUMENTED_FIELDS,
                new Redactor(java.util.Set::of, List.of(), CAP), java.util.Optional.of("acme-prod"));

        assertThat(documentedEvent(gcp, "stack_trace")).isEqualTo(example("event-gcp.json"));
    }

    @Test
    void theGoogleCloudFormatRedactsAndNamesEveryLevel() throws Exception {
        var gcp = StdoutAppender.gcpEncoder(context, Map.of("service.name", "orders"),
                new Redactor(() -> Set.of(SECRET), List.of(), CAP), java.util.Optional.empty());
        var event = new LoggingEvent("t", logger, Level.WARN, "token " + SECRET, new IllegalStateException(SECRET), null);
        event.setMDCPropertyMap(Map.of("trace.id", "4bf92f3577b34da6a3ce929d0e0e4736"));

        String line = new String(gcp.encode(event), StandardCharsets.UTF_8);

        assertThat(line).doesNotContain(SECRET);
        JsonNode json = JSON.readTree(line);
        assertThat(json.get("severity").asText()).isEqualTo("WARNING");
        assertThat(json.get("logging.googleapis.com/trace").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(json.has("trace.id")).isFalse();
        assertThat(json.get("serviceContext").get("service").asText()).isEqualTo("orders");
        for (var level : Map.of(Level.TRACE, "DEBUG", Level.DEBUG, "DEBUG", Level.INFO, "INFO", Level.ERROR, "ERROR")
                .entrySet()) {
            var other = new LoggingEvent("t", logger, level.getKey(), "m", null, null);
            assertThat(JSON.readTree(gcp.encode(other)).get("severity").asText()).isEqualTo(level.getValue());
        }
    }

    private final Logger access = context.getLogger("skiff.access");

    /** {@return the events of the logger from now on, as an appender attached to it gets them} */
    private ch.qos.logback.core.read.ListAppender<ILoggingEvent> capturing(Logger logger) {
        var captured = new ch.qos.logback.core.read.ListAppender<ILoggingEvent>();
        captured.setContext(context);
        captured.start();
        logger.addAppender(captured);
        return captured;
    }

    @Test
    void aPreparedEventWritesTheSameObjectAsTheLogbackEventItStandsFor() throws Exception {
        var captured = capturing(access);
        var names = PreparedEvent.names("http.route", "event.duration", "http.response.status_code", "absent",
                "http.response.complete");
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        PreparedEvent.log(access, "GET /orders/7 200 1 ms", "req-1", traceparent, names,
                "/orders/{id}", 1_234_567L, 200, null, false);
        PreparedEvent.log(access, "GET /health 200 0 ms", "req-2", null, names, "/health", 5L, 204, null, null);
        assertThat(captured.list).hasSize(2);

        var gcp = StdoutAppender.gcpEncoder(context, Map.of("service.name", "orders", "service.version", "1.2.3"),
                new Redactor(() -> Set.of(SECRET), List.of(), CAP), java.util.Optional.of("my-project"));
        for (ILoggingEvent prepared : captured.list) {
            // The same event as Logback's own, its context in the MDC as LogContext puts it there.
            var event = new LoggingEvent("test", access, Level.INFO, prepared.getFormattedMessage(), null, null);
            event.setThreadName(prepared.getThreadName());
            event.setTimeStamp(prepared.getTimeStamp());
            event.setKeyValuePairs(prepared.getKeyValuePairs());
            event.setMDCPropertyMap(prepared.getMDCPropertyMap());
            for (Encoder<ILoggingEvent> shape : List.of(encoder, gcp)) {
                assertThat(JSON.readTree(shape.encode(prepared))).isEqualTo(JSON.readTree(shape.encode(event)));
            }
        }
        JsonNode first = JSON.readTree(encoder.encode(captured.list.get(0)));
        assertThat(first.get("trace.id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(first.get("http.response.complete").asBoolean(true)).isFalse();
        assertThat(first.has("absent")).isFalse();
        assertThat(JSON.readTree(encoder.encode(captured.list.get(1))).has("trace.id")).isFalse();

        // Below the logger's level, nothing is made at all.
        access.setLevel(Level.WARN);
        PreparedEvent.log(access, "GET / 200 0 ms", "req-3", null, names, "/", 1L, 200, null, null);
        assertThat(captured.list).hasSize(2);
    }

    @Test
    void logRedactPatternsMaskEveryStringOfAPreparedEventTheFrameworksOwnToo() throws Exception {
        var captured = capturing(access);
        // This encoder's redactor masks card=\d+: a pattern a service set with LOG_REDACT.
        PreparedEvent.log(access, "GET /pay card=4111 200 1 ms", "card=4222", null,
                PreparedEvent.names("client.address", "http.route"), "card=4333", "/pay/{card}");
        JsonNode json = JSON.readTree(encoder.encode(captured.list.getFirst()));
        assertThat(json.get("message").asText()).isEqualTo("GET /pay ****** 200 1 ms");
        assertThat(json.get("request_id").asText()).isEqualTo("******");
        assertThat(json.get("client.address").asText()).isEqualTo("******");
        assertThat(json.get("http.route").asText()).isEqualTo("/pay/{card}");
    }
}
