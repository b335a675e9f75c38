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

    private Logging() {}

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
        settings.levels().forEach((name, level) -> context.getLogger(name).setLevel(level(level)));
    }

    /**
     * Prints nothing at all: for a process whose configuration is invalid, so that the one report
     * on stderr is all it says and no line that could not be redacted reaches stdout.
     */
    public static void silence() {
        context().getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.OFF);
    }

    /**
     * Runs a logging call on an event loop's thread whose lines may wait, in order, until the loop's
     * current round of work is done, and go out then with the round's other such lines in one
     * write. For the HTTP server's access log: one system call per round, not one per request.
     * Lines logged outside such a call are written at once, as always.
     *
     * @param loop an executor that runs a task on the calling thread after the work of its current round
     * @param logging the logging call
     */
    public static void atRoundEnd(java.util.concurrent.Executor loop, Runnable logging) {
        StdoutSink.atRoundEnd(Objects.requireNonNull(loop, "loop"), logging);
    }

    /**
     * Writes out every event and stops the log output; nothing is printed afterwards. Skiff calls
     * it as the last step of shutdown, after every other line has been logged.
     */
    public static void stop() {
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
