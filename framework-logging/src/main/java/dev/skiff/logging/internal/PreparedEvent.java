package dev.skiff.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.skiff.logging.LogContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * An INFO event the framework writes for every request, such as the access log's, made without
 * Logback's event: its text was made safe where it was made — what the client or the application
 * supplied redacted and capped by the caller (the trace context here), the rest the framework's
 * own — so the JSON encoder writes it as given, with field names encoded once ({@link Names}),
 * unless {@code log.redact} patterns are set: they are applied to every string, as in any event. Any appender still gets it as an ordinary
 * {@link ILoggingEvent} (its context and key-values built when asked for).
 */
public final class PreparedEvent implements ILoggingEvent {

    /** The names of an event's key-values, encoded once for every event. */
    public static final class Names {
        final String[] names;
        final SerializableString[] encoded;

        private Names(String[] names) {
            this.names = names.clone();
            this.encoded = new SerializableString[names.length];
            for (int i = 0; i < names.length; i++) {
                encoded[i] = new SerializedString(names[i]);
            }
        }
    }

    /** {@return the names, in the order the values will be given} */
    public static Names names(String... names) {
        return new Names(names);
    }

    private final ch.qos.logback.classic.Logger logger;
    private final String message;
    private final String requestId;
    private final TraceParent trace;
    private final Names names;
    private final Object[] values;
    private final long millis = System.currentTimeMillis();
    private final String threadName = Thread.currentThread().getName();

    private PreparedEvent(ch.qos.logback.classic.Logger logger, String message, String requestId, TraceParent trace,
            Names names, Object[] values) {
        this.logger = logger;
        this.message = message;
        this.requestId = requestId;
        this.trace = trace;
        this.names = names;
        this.values = values;
    }

    /**
     * Logs an INFO event with the request's id and trace as its context.
     *
     * @param message the message, safe as it is
     * @param requestId the request's id, redacted where the client supplied it
     * @param traceparent the request's trace context, or null
     * @param values strings (safe as they are), numbers or booleans, one per name; null leaves a key-value out
     */
    public static void log(Logger logger, String message, String requestId, String traceparent, Names names,
            Object... values) {
        if (values.length != names.names.length) {
            throw new IllegalArgumentException(values.length + " values for " + names.names.length + " names");
        }
        if (!(logger instanceof ch.qos.logback.classic.Logger logback)) {
            LoggingEventBuilder event = logger.atInfo().setMessage(message);
            for (int i = 0; i < values.length; i++) {
                if (values[i] != null) {
                    event = event.addKeyValue(names.names[i], values[i]);
                }
            }
            event.log();
            return;
        }
        if (logback.isInfoEnabled()) {
            TraceParent trace = traceparent == null ? null : TraceParent.parse(traceparent).orElse(null);
            if (trace != null) {
                // A caller's trace context is text the client chose, hex or not: masked as any such text.
                trace = new TraceParent(Logging.redacted(trace.traceId()), Logging.redacted(trace.parentId()),
                        trace.flags());
            }
            logback.callAppenders(new PreparedEvent(logback, message, requestId, trace, names, values));
        }
    }

    String requestId() {
        return requestId;
    }

    TraceParent trace() {
        return trace;
    }

    SerializableString[] encodedNames() {
        return names.encoded;
    }

    Object[] values() {
        return values;
    }

    @Override
    public String getThreadName() {
        return threadName;
    }

    @Override
    public Level getLevel() {
        return Level.INFO;
    }

    @Override
    public String getMessage() {
        return message;
    }

    @Override
    public Object[] getArgumentArray() {
        return null;
    }

    @Override
    public String getFormattedMessage() {
        return message;
    }

    @Override
    public String getLoggerName() {
        return logger.getName();
    }

    @Override
    public LoggerContextVO getLoggerContextVO() {
        return logger.getLoggerContext().getLoggerContextRemoteView();
    }

    @Override
    public IThrowableProxy getThrowableProxy() {
        return null;
    }

    @Override
    public StackTraceElement[] getCallerData() {
        return new StackTraceElement[0];
    }

    @Override
    public boolean hasCallerData() {
        return false;
    }

    @Override
    public List<Marker> getMarkerList() {
        return null;
    }

    /** {@return the request's context, as {@link LogContext#open} puts it in the MDC} */
    @Override
    public Map<String, String> getMDCPropertyMap() {
        var context = new HashMap<String, String>();
        context.put(LogContext.REQUEST_ID, requestId);
        if (trace != null) {
            context.put(LogContext.TRACE_ID, trace.traceId());
            context.put(LogContext.SPAN_ID, trace.parentId());
            context.put(TraceParent.FLAGS_KEY, trace.flags());
        }
        return context;
    }

    @Override
    @Deprecated
    public Map<String, String> getMdc() {
        return getMDCPropertyMap();
    }

    @Override
    public long getTimeStamp() {
        return millis;
    }

    @Override
    public int getNanoseconds() {
        return (int) Math.floorMod(millis, 1000L) * 1_000_000;
    }

    @Override
    public long getSequenceNumber() {
        return 0;
    }

    @Override
    public List<KeyValuePair> getKeyValuePairs() {
        var pairs = new ArrayList<KeyValuePair>(values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] != null) {
                pairs.add(new KeyValuePair(names.names[i], values[i]));
            }
        }
        return pairs;
    }

    @Override
    public void prepareForDeferredProcessing() {
        // Nothing to capture: every part is set when the event is made.
    }
}
