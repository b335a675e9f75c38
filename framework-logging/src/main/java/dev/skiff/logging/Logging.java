package dev.skiff.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.skiff.logging.internal.StdoutAppender;
import dev.skiff.logging.internal.Terminal;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures and stops Skiff's log output.
 *
 * <p>With this module on the classpath, every event goes to stdout as JSON from the very first
 * one, without a {@code logback.xml}. The launcher calls {@link #configure} once the
 * configuration is loaded, and {@link #stop} as the very last step of shutdown. SLF4J's provider
 * is process-wide by design, so these methods act on it directly.
 */
public final class Logging {

    private Logging() {}

    /**
     * Applies the settings to the process's log output.
     *
     * @param settings level and format
     * @param fields fields added to every JSON event, such as {@code service.name}
     */
    public static void configure(LogSettings settings, Map<String, String> fields) {
        LoggerContext context = context();
        boolean json = switch (settings.format()) {
            case JSON -> true;
            case TEXT -> false;
            case AUTO -> !Terminal.isInteractive();
        };
        StdoutAppender.install(context, json, fields);
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.toLevel(settings.level().name()));
    }

    /**
     * Writes out every buffered event and stops the log output; nothing is printed afterwards.
     */
    public static void stop() {
        context().stop();
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
