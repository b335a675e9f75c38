package dev.skiff.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import net.logstash.logback.composite.loggingevent.KeyValuePairsJsonProvider;
import net.logstash.logback.composite.loggingevent.LogLevelJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggerNameJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventJsonProviders;
import net.logstash.logback.composite.loggingevent.MdcJsonProvider;
import net.logstash.logback.composite.loggingevent.MessageJsonProvider;
import net.logstash.logback.composite.loggingevent.StackTraceJsonProvider;
import net.logstash.logback.composite.loggingevent.LoggingEventThreadNameJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableClassNameJsonProvider;
import net.logstash.logback.composite.loggingevent.ThrowableMessageJsonProvider;
import net.logstash.logback.encoder.LoggingEventCompositeJsonEncoder;
import org.slf4j.Logger;

/** The one appender: synchronous writes to stdout, so no event is dropped or reordered. */
final class StdoutAppender {

    static final String NAME = "skiff-stdout";
    /** The Elastic Common Schema version whose field names the JSON format uses. */
    public static final String ECS_VERSION = "8.11.0";

    private StdoutAppender() {}

    /** Replaces the stdout appender of the root logger with one in the given format. */
    public static void install(LoggerContext context, Encoder<ILoggingEvent> encoder) {
        var appender = new ConsoleAppender<ILoggingEvent>();
        appender.setContext(context);
        appender.setName(NAME);
        appender.setEncoder(encoder);
        appender.start();

        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        var previous = root.getAppender(NAME);
        root.addAppender(appender);
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
    }

    /** {@return the JSON encoder: ECS field names, every string redacted and capped} */
    public static LoggingEventCompositeJsonEncoder jsonEncoder(LoggerContext context, Map<String, String> fields,
            Redactor redactor, int maxFieldLength) {
        var providers = new LoggingEventJsonProviders();
        providers.addProvider(new TimestampProvider("@timestamp"));
        var level = new LogLevelJsonProvider();
        level.setFieldName("log.level");
        providers.addProvider(level);
        providers.addProvider(new MessageJsonProvider());
        var logger = new LoggerNameJsonProvider();
        logger.setFieldName("log.logger");
        providers.addProvider(logger);
        var thread = new LoggingEventThreadNameJsonProvider();
        thread.setFieldName("process.thread.name");
        providers.addProvider(thread);

        var customFields = new TreeMap<>(fields);
        customFields.put("ecs.version", ECS_VERSION);
        providers.addProvider(new FixedFieldsProvider(customFields));

        providers.addProvider(new MdcJsonProvider());
        providers.addProvider(new KeyValuePairsJsonProvider());

        addErrorProviders(providers, "error.stack_trace", redactor);

        var trusted = new java.util.HashSet<>(customFields.keySet());
        trusted.addAll(java.util.List.of("@timestamp", "log.level", "log.logger", "process.thread.name",
                "error.stack_trace"));
        return encoder(context, providers, redactor, trusted);
    }

    /** The exception's class and message as ECS fields, and its stack trace as one string field. */
    private static void addErrorProviders(LoggingEventJsonProviders providers, String stackTraceField,
            Redactor redactor) {
        var errorType = new ThrowableClassNameJsonProvider();
        errorType.setFieldName("error.type");
        errorType.setUseSimpleClassName(false);
        providers.addProvider(errorType);
        var errorMessage = new ThrowableMessageJsonProvider();
        errorMessage.setFieldName("error.message");
        providers.addProvider(errorMessage);
        // Logback's own converter prints the whole trace, causes included, with cycles cut; every
        // message in it is redacted and the string capped at maxFieldLength like every other field.
        var stackTrace = new StackTraceJsonProvider();
        stackTrace.setFieldName(stackTraceField);
        stackTrace.setThrowableConverter(new RedactingThrowableConverter(redactor));
        providers.addProvider(stackTrace);
    }

    /** {@return a started encoder over the providers, redacting every field but the trusted ones} */
    private static LoggingEventCompositeJsonEncoder encoder(LoggerContext context, LoggingEventJsonProviders providers,
            Redactor redactor, java.util.Set<String> trusted) {
        var encoder = new LoggingEventCompositeJsonEncoder();
        encoder.setContext(context);
        // Key-values are written by the redacting generator; the application's Jackson modules
        // (java.time, Optional) need not be found and loaded for logging: a startup cost.
        encoder.setFindAndRegisterJacksonModules(false);
        encoder.setProviders(providers);
        encoder.setJsonGeneratorDecorator(new RedactingDecorator(redactor, trusted));
        encoder.start();
        return encoder;
    }

    /**
     * {@return the JSON encoder for Google Cloud Logging: its special field names for the severity,
     * time and trace, {@code serviceContext} and {@code stack_trace} for Error Reporting, every string
     * the application supplies redacted and capped}
     */
    public static LoggingEventCompositeJsonEncoder gcpEncoder(LoggerContext context, Map<String, String> fields,
            Redactor redactor, java.util.Optional<String> project) {
        var providers = new LoggingEventJsonProviders();
        providers.addProvider(new GcpProviders.Severity());
        providers.addProvider(new TimestampProvider("time"));
        providers.addProvider(new MessageJsonProvider());
        var logger = new LoggerNameJsonProvider();
        logger.setFieldName("logger");
        providers.addProvider(logger);
        var thread = new LoggingEventThreadNameJsonProvider();
        thread.setFieldName("thread");
        providers.addProvider(thread);
        providers.addProvider(new GcpProviders.ServiceContext(fields.get("service.name"), fields.get("service.version")));
        var rest = new TreeMap<>(fields);
        rest.remove("service.name");
        rest.remove("service.version");
        providers.addProvider(new FixedFieldsProvider(rest));
        providers.addProvider(new GcpProviders.Trace(project));
        var mdc = new MdcJsonProvider();
        mdc.setExcludeMdcKeyNames(java.util.List.of(dev.skiff.logging.LogContext.TRACE_ID,
                dev.skiff.logging.LogContext.SPAN_ID));
        providers.addProvider(mdc);
        providers.addProvider(new KeyValuePairsJsonProvider());
        addErrorProviders(providers, "stack_trace", redactor);

        var trusted = new java.util.HashSet<>(rest.keySet());
        trusted.addAll(java.util.List.of("severity", "time", "logger", "thread", "stack_trace",
                GcpProviders.TRACE_FIELD, GcpProviders.SPAN_FIELD));
        return encoder(context, providers, redactor, trusted);
    }

    /** {@return the text encoder: one redacted line per event} */
    public static Encoder<ILoggingEvent> textEncoder(LoggerContext context, Redactor redactor, boolean colour) {
        // People read the time of day where they are.
        var layout = new TextLayout(redactor, colour, java.time.ZoneId.systemDefault());
        layout.setContext(context);
        layout.start();
        var encoder = new LayoutWrappingEncoder<ILoggingEvent>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        return encoder;
    }
}
