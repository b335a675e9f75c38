package dev.skiff.http.internal;

import dev.skiff.RunningService;
import dev.skiff.Skiff;
import dev.skiff.internal.Metrics;
import dev.skiff.internal.TrustedProxies;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One access-log event, as a request's thread pays for it once its exchange completes: the
 * event built, encoded to its JSON line with the request's id and trace, and handed to stdout's
 * writer (whose writes, one per many lines, happen on its own thread and are not counted here).
 * The service is started as any service is, with its JSON log format and two secrets to redact;
 * stdout is a stream that takes everything. Goal: 2 µs for {@link #event} ({@code bench/http.sh}
 * prints it). The request id is one the server made (a client's would be redacted too).
 *
 * <p>In the framework's internal package, as a test of it would be: the event is not public API.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AccessLogBenchmark {

    private static final Map<String, String> SETTINGS = Map.of("SERVICE_NAME", "notes", "SERVICE_VERSION", "1.4.2",
            "LOG_FORMAT", "json", "BENCH_DATABASE_PASSWORD", "a-database-password",
            "BENCH_API_TOKEN", "an-api-token-value");

    private RunningService service;
    private PrintStream stdout;
    private AccessLog accessLog;
    private AccessLog.Entry entry;

    @Setup
    public void setUp() {
        stdout = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        service = Skiff.start(SETTINGS, app -> {});
        accessLog = new AccessLog(new Metrics(() -> 0), true, new ClientAddress(TrustedProxies.parse(List.of())));
        entry = new AccessLog.Entry("GET", "GET", "/notes/42", "/notes/{id}", 200, AccessLog.Delivery.WHOLE,
                1_234_567, 0, 187, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                "10.1.2.3");
    }

    @TearDown
    public void tearDown() {
        service.stop();
        System.setOut(stdout);
    }

    /** A request as most are, and as the load of {@code bench/http.sh} sends: no trace context. */
    @Benchmark
    public void event() {
        accessLog.event(entry, "3f1c7a52-4a8e-4f0e-9a57-1b9c2d3e4f50", null);
    }

    /** A request with its caller's trace context, whose ids the line shows, redacted as the client's text. */
    @Benchmark
    public void tracedEvent() {
        accessLog.event(entry, "3f1c7a52-4a8e-4f0e-9a57-1b9c2d3e4f50",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    }
}
