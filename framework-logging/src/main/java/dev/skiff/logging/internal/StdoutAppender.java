package dev.skiff.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.TreeMap;
import net.logstash.logback.encoder.LogstashEncoder;
import net.logstash.logback.fieldnames.LogstashFieldNames;
import org.slf4j.Logger;

/** The one appender: synchronous writes to stdout, so no event is dropped or reordered. */
public final class StdoutAppender {

    static final String NAME = "skiff-stdout";
    private static final String IGNORE = "[ignore]";

    private StdoutAppender() {}

    /** Replaces the stdout appender of the root logger with one in the given format. */
    public static void install(LoggerContext context, boolean json, Map<String, String> fields) {
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName(NAME);
        appender.setEncoder(json ? jsonEncoder(context, fields) : textEncoder(context));
        appender.start();

        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        var previous = root.getAppender(NAME);
        root.addAppender(appender);
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
    }

    private static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context, Map<String, String> fields) {
        var names = new LogstashFieldNames();
        names.setTimestamp("@timestamp");
        names.setVersion(IGNORE);
        names.setLevel("log.level");
        names.setLevelValue(IGNORE);
        names.setLogger("log.logger");
        names.setThread("process.thread.name");
        names.setStackTrace("error.stack_trace");

        var encoder = new LogstashEncoder();
        encoder.setContext(context);
        encoder.setFieldNames(names);
        encoder.setTimeZone("UTC");
        encoder.setTimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");
        encoder.setIncludeContext(false);
        if (!fields.isEmpty()) {
            encoder.setCustomFields(customFields(fields));
        }
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> textEncoder(LoggerContext context) {
        var encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg %kvp%n%ex");
        encoder.start();
        return encoder;
    }

    private static String customFields(Map<String, String> fields) {
        try {
            return new ObjectMapper().writeValueAsString(new TreeMap<>(fields));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write log fields " + fields.keySet(), e);
        }
    }
}
