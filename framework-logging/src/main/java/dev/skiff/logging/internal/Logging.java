package dev.skiff.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures and stops Skiff's log output.
 *
 * <p>With this module on the classpath, every event goes to stdout as one JSON object per line
 * from the very first one, without a {@code logback.xml}; java.util.logging and jboss-logging
 * (Undertow, XNIO) are routed into it. The launcher calls {@link #configure} once the
 * configuration is loaded, and {@link #stop} as the very last step of shutdown. SLF4J's provider
 * is process-wide by design, so these methods act on it directly.
 */
public final class Logging {

    /** The redactor of the log output in force: secrets and {@code LOG_REDACT} patterns masked, capped. */
    private static volatile Redactor redactor = new Redactor(java.util.List::of, java.util.List.of(), 2048);

    private Logging() {}

    /**
     * {@return the text as a log line would show it: every secret and {@code log.redact} match
     * masked, cut to {@code log.max-field-length}} For what leaves the process by another way than
     * the log, such as the attributes of a span.
     *
     * @param text text that came from a request or a setting, or null
     */
    public static String redacted(String text) {
        return text == null ? null : redactor.apply(text);
    }

    /**
     * {@return a name the application made, such as a route's template, as a log line shows it}
     * The same masking as {@link #redacted}, remembered for the names that repeat in every event.
     */
    public static String redactedName(String name) {
        return name == null ? null : redactor.cap(redactor.redactKey(name));
    }

    /** {@return the text cut to {@code log.max-field-length}, saying how much was cut} */
    public static String capped(String text) {
        return redactor.cap(text);
    }

    /**
     * Applies the settings to the process's log output.
     *
     * @param settings levels, format, redaction and field length
     * @param fields fields added to every JSON event, such as {@code service.name}
     * @param secrets the values to mask wherever they appear; asked for every event, so it should
     *     return the same collection until the secrets change
     */
    public static void configure(LogSettings settings, Map<String, String> fields,
            Supplier<? extends Collection<String>> secrets) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(fields, "fields");
        Objects.requireNonNull(secrets, "secrets");
        LoggerContext context = context();
        var redactor = new Redactor(secrets, settings.redact().stream().map(Pattern::compile).toList(),
                settings.maxFieldLength());
        Logging.redactor = redactor;
        boolean terminal = Terminal.isInteractive();
        LogFormat format = settings.format() == LogFormat.AUTO
                ? (terminal ? LogFormat.TEXT : LogFormat.JSON)
                : settings.format();
        StdoutAppender.install(context, switch (format) {
            case JSON, AUTO -> StdoutAppender.jsonEncoder(context, fields, redactor);
            case GCP -> StdoutAppender.gcpEncoder(context, fields, redactor, settings.gcpProject());
            case TEXT -> StdoutAppender.textEncoder(context, redactor, terminal);
        });
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level(settings.level()));
        StdoutSink.INSTANCE.onRecovery((dropped, millis) -> LoggerFactory.getLogger(Logging.class).atWarn()
                .setMessage("stdout did not drain for {} ms: {} log lines were dropped rather than stall the service")
                .addArgument(millis).addArgument(dropped).addKeyValue("log.dropped_lines", dropped).log());
        for (var level : settings.levels().entrySet()) {
            context.getLogger(level.getKey()).setLevel(level(level.getValue()));
        }
    }

    /**
     * Keeps log lines waiting, in order and within the sink's bound, until {@link #release}: while
     * the process does not yet know whether stdout is the log's or a command's result.
     */
    public static void hold() {
        StdoutSink.INSTANCE.hold();
        if (HOLD_HOOK.compareAndSet(false, true)) {
            // A setup that ends the JVM itself (System.exit, a signal before the launcher's handlers)
            // still says what it logged: on stderr, which a command's result never shares.
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("skiff-log-release").unstarted(() -> {
                StdoutSink.INSTANCE.release(StdoutSink.INSTANCE.isHeld() ? () -> System.err : null);
                StdoutSink.INSTANCE.flush(java.time.Duration.ofSeconds(1));
            }));
        }
    }

    private static final java.util.concurrent.atomic.AtomicBoolean HOLD_HOOK = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Writes the lines that waited, and every later one, to stdout or, for a process whose stdout
     * is a command's result, to stderr.
     *
     * @param toStderr whether the log goes to stderr from now on
     */
    public static void release(boolean toStderr) {
        StdoutSink.INSTANCE.release(toStderr ? () -> System.err : null);
    }

    /**
     * Prints nothing at all: for a process whose configuration is invalid, so that the one report
     * on stderr is all it says and no line that could not be redacted reaches stdout.
     */
    public static void silence() {
        context().getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
    }

    /**
     * {@return the log lines dropped since the process started because stdout did not drain: a
     * pipe nobody reads, a stuck collector} Lines wait in memory up to 1 MiB, then are dropped
     * rather than stall the thread that logs; one line says how many once stdout drains again.
     */
    public static long droppedLines() {
        return StdoutSink.INSTANCE.dropped();
    }

    /**
     * Writes out every event and stops the log output; nothing is printed afterwards. Skiff calls
     * it as the last step of shutdown, after every other line has been logged.
     */
    public static void stop() {
        StdoutSink.INSTANCE.release(null); // nothing left waiting unwritten
        context().stop();
    }

    private static Level level(LogLevel level) {
        return Level.toLevel(level.name());
    }

    private static LoggerContext context() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            return context;
        }
        throw new IllegalStateException("Skiff's logging needs Logback as the SLF4J provider, found "
                + LoggerFactory.getILoggerFactory().getClass().getName()
                + ": remove the other SLF4J provider from the classpath");
    }
}
