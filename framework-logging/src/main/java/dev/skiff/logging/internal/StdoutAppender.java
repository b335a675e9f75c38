package dev.skiff.logging.internal;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The one appender: every event encoded on the thread that logs it, then handed to
 * {@link StdoutSink}, which writes the lines in order and never makes the thread that logs wait.
 */
final class StdoutAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

    static final String NAME = "skiff-stdout";
    /** How long the last flush may wait for stdout: within the 2 s a platform's kill window keeps for the exit. */
    static final java.time.Duration FINAL_FLUSH = java.time.Duration.ofSeconds(1);

    private final Encoder<ILoggingEvent> encoder;

    private StdoutAppender(Encoder<ILoggingEvent> encoder) {
        this.encoder = encoder;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (encoder instanceof JsonEventEncoder json) {
            json.encodeTo(event, StdoutSink.INSTANCE);
        } else {
            StdoutSink.INSTANCE.write(encoder.encode(event));
        }
    }

    @Override
    public void stop() {
        // The last lines, but no longer than a stdout that does not drain allows: the process must end.
        StdoutSink.INSTANCE.flush(FINAL_FLUSH);
        super.stop();
    }

    /** Replaces the stdout appender of the root logger with one in the given format. */
    public static void install(LoggerContext context, Encoder<ILoggingEvent> encoder) {
        var appender = new StdoutAppender(encoder);
        appender.setContext(context);
        appender.setName(NAME);
        appender.start();

        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        var previous = root.getAppender(NAME);
        root.addAppender(appender);
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
    }

    /** {@return the JSON encoder: ECS field names, every string the application supplies redacted and capped} */
    public static Encoder<ILoggingEvent> jsonEncoder(LoggerContext context, Map<String, String> fields,
            Redactor redactor) {
        return JsonEventEncoder.ecs(context, fields, redactor);
    }

    /**
     * {@return the JSON encoder for Google Cloud Logging: its special field names for the severity,
     * time and trace, {@code serviceContext} and {@code stack_trace} for Error Reporting, every string
     * the application supplies redacted and capped}
     */
    public static Encoder<ILoggingEvent> gcpEncoder(LoggerContext context, Map<String, String> fields,
            Redactor redactor, java.util.Optional<String> project) {
        return JsonEventEncoder.gcp(context, fields, redactor, project);
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
