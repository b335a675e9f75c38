package dev.skiff.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.OutputStreamAppender;
import dev.skiff.RunningService;
import dev.skiff.Skiff;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.logstash.logback.encoder.LogstashEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Encoding one log event to its JSON line: Skiff's encoder (ECS names, redaction, field caps)
 * against logstash-logback-encoder's default LogstashEncoder and Logback's own JsonEncoder.
 * Skiff's is the one a started service writes with, taken from Logback's root logger, with two
 * secrets registered as a service's configuration registers them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogEncoderBenchmark {

    /** A service's settings with two secrets, registered for redaction as any service's are. */
    private static final Map<String, String> SETTINGS = Map.of("SERVICE_NAME", "notes", "LOG_FORMAT", "json",
            "LOG_LEVEL", "warn", "BENCH_DATABASE_PASSWORD", "a-database-password",
            "BENCH_API_TOKEN", "an-api-token-value");

    @Param({"skiff", "logstash", "logback"})
    public String encoder;

    @Param({"typical", "exception"})
    public String event;

    private Encoder<ILoggingEvent> subject;
    private RunningService service;
    private ILoggingEvent subjectEvent;

    @Setup
    public void setUp() {
        var context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        subject = switch (encoder) {
            case "skiff" -> skiffEncoder();
            case "logstash" -> {
                var e = new LogstashEncoder();
                e.setContext(context);
                e.setCustomFields("{\"service.name\":\"notes\",\"service.version\":\"1.0.0\"}");
                e.start();
                yield e;
            }
            case "logback" -> {
                var e = new JsonEncoder();
                e.setContext(context);
                e.start();
                yield e;
            }
            default -> throw new IllegalArgumentException(encoder);
        };
        var logger = context.getLogger("com.example.notes.NotesResource");
        Throwable error = event.equals("exception")
                ? new IllegalStateException("note 42 could not be saved", new java.sql.SQLException("connection reset"))
                : null;
        var built = new LoggingEvent("bench", logger, event.equals("exception") ? Level.ERROR : Level.INFO,
                "created note {} for {}", error, new Object[] {42, "ada"});
        built.setThreadName("skiff-request-17");
        built.setKeyValuePairs(List.of(new KeyValuePair("note.id", 42), new KeyValuePair("user", "ada"),
                new KeyValuePair("duration_ms", 12)));
        built.setMDCPropertyMap(Map.of("request_id", "3f1c7a52-4a8e-4f0e-9a57-1b9c2d3e4f50"));
        built.prepareForDeferredProcessing();
        subjectEvent = built;
    }

    /** {@return the encoder of the stdout appender that a started service configured} */
    @SuppressWarnings("unchecked")
    private Encoder<ILoggingEvent> skiffEncoder() {
        service = Skiff.start(SETTINGS, app -> {});
        var root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        for (var appenders = root.iteratorForAppenders(); appenders.hasNext(); ) {
            var appender = appenders.next();
            if (appender instanceof OutputStreamAppender<?> stdout) {
                return (Encoder<ILoggingEvent>) stdout.getEncoder();
            }
            // Skiff's own appender hands encoded lines to its stdout sink; its encoder is a field
            // (read by reflection: the benchmarks use no internal type).
            for (var field : appender.getClass().getDeclaredFields()) {
                if (Encoder.class.isAssignableFrom(field.getType())) {
                    try {
                        field.setAccessible(true);
                        return (Encoder<ILoggingEvent>) field.get(appender);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException("cannot read the encoder of " + appender.getClass(), e);
                    }
                }
            }
        }
        throw new IllegalStateException("the started service configured no stdout appender");
    }

    @TearDown
    public void tearDown() {
        if (service != null) {
            service.stop();
        }
    }

    @Benchmark
    public byte[] encode() {
        return subject.encode(subjectEvent);
    }
}
