package dev.skiff.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.skiff.logging.LogContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per line, written field by field with Jackson's streaming generator: the
 * Elastic Common Schema's names, or Google Cloud Logging's. Every string the application supplies
 * — the message, MDC entries and key-values (their keys too), the error's message and the
 * messages in its stack trace — is redacted and capped; what Skiff writes itself (the time, the
 * level, logger and thread names, the service's fields) is written as it is.
 *
 * <p>Thread-safe: Logback encodes on the logging thread, outside the appender's lock.
 */
final class JsonEventEncoder extends EncoderBase<ILoggingEvent> {

    /** Which names the fields take. */
    enum Shape { ECS, GCP }

    /** The Elastic Common Schema version whose field names the ECS shape uses. */
    static final String ECS_VERSION = "8.11.0";
    static final String GCP_TRACE = "logging.googleapis.com/trace";
    static final String GCP_SPAN = "logging.googleapis.com/spanId";

    private static final SerializedString TIMESTAMP = new SerializedString("@timestamp");
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString LEVEL = new SerializedString("log.level");
    private static final SerializedString SEVERITY = new SerializedString("severity");
    private static final SerializedString INFO = new SerializedString("INFO");
    private static final SerializedString MESSAGE = new SerializedString("message");
    private static final SerializedString LOGGER = new SerializedString("log.logger");
    private static final SerializedString GCP_LOGGER = new SerializedString("logger");
    private static final SerializedString THREAD = new SerializedString("process.thread.name");
    private static final SerializedString GCP_THREAD = new SerializedString("thread");
    private static final SerializedString REQUEST_ID = new SerializedString(LogContext.REQUEST_ID);
    private static final SerializedString TRACE_ID = new SerializedString(LogContext.TRACE_ID);
    private static final SerializedString SPAN_ID = new SerializedString(LogContext.SPAN_ID);
    private static final SerializedString GCP_TRACE_NAME = new SerializedString(GCP_TRACE);
    private static final SerializedString GCP_SPAN_NAME = new SerializedString(GCP_SPAN);
    private static final byte[] NEWLINE = System.lineSeparator().getBytes(StandardCharsets.UTF_8);
    private static final DateTimeFormatter TO_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
    /** Output buffers larger than this are not kept for the next event. */
    private static final int LARGEST_KEPT = 64 * 1024;

    private final Shape shape;
    private final Redactor redactor;
    /** The Cloud Logging shape's serviceContext: service and version, or null. */
    private final String service;
    private final String version;
    private final String tracePrefix;
    /** The service's fields, encoded once (see {@link #writeFixed}). */
    private final SerializedString fixed;
    private final RedactingThrowableConverter stackTraces;
    /**
     * Generators are kept with their output buffer and reused, event after event (no separator
     * between root values): one per platform thread — the I/O threads write the access log — and
     * a shared few for virtual threads, which live for one request.
     */
    private final JsonFactory factory = new JsonFactoryBuilder().rootValueSeparator((String) null)
            .recyclerPool(JsonRecyclerPools.nonRecyclingPool()).build();
    private final ThreadLocal<Writer> ownWriter = new ThreadLocal<>();
    private final ConcurrentLinkedQueue<Writer> sharedWriters = new ConcurrentLinkedQueue<>();
    private static final int MOST_SHARED_WRITERS = 64;

    /** The text of one second, shared by every event within it. */
    private record Second(long epochSecond, char[] text) {}

    private volatile Second lastSecond = new Second(Long.MIN_VALUE, new char[0]);

    /** The text of one millisecond, shared by every event within it. */
    private record Milli(long millis, SerializableString text) {}

    private volatile Milli lastMilli = new Milli(Long.MIN_VALUE, new SerializedString(""));

    private JsonEventEncoder(Context context, Shape shape, Map<String, String> fixed, String service, String version,
            String tracePrefix, Redactor redactor) {
        this.shape = shape;
        this.redactor = redactor;
        var sorted = new TreeMap<>(fixed);
        String[] fixedNames = sorted.keySet().toArray(String[]::new);
        String[] fixedValues = sorted.values().toArray(String[]::new);
        this.service = service;
        this.version = version;
        this.tracePrefix = tracePrefix;
        this.fixed = fixedFields(service, version, fixedNames, fixedValues);
        // Logback's own converter prints the whole trace, causes included, with cycles cut.
        this.stackTraces = new RedactingThrowableConverter(redactor);
        stackTraces.setContext(context);
        stackTraces.start();
        setContext(context);
    }

    /** {@return a started encoder of the ECS shape, with the service's fields in every event} */
    static JsonEventEncoder ecs(Context context, Map<String, String> fields, Redactor redactor) {
        var fixed = new TreeMap<>(fields);
        fixed.put("ecs.version", ECS_VERSION);
        var encoder = new JsonEventEncoder(context, Shape.ECS, fixed, null, null, "", redactor);
        encoder.start();
        return encoder;
    }

    /**
     * {@return a started encoder of Cloud Logging's shape: service name and version as
     * {@code serviceContext}, the trace as {@code projects/PROJECT/traces/ID} when the project is known}
     */
    static JsonEventEncoder gcp(Context context, Map<String, String> fields, Redactor redactor, Optional<String> project) {
        var rest = new TreeMap<>(fields);
        String service = rest.remove("service.name");
        String version = rest.remove("service.version");
        var encoder = new JsonEventEncoder(context, Shape.GCP, rest, service, version,
                project.map(id -> "projects/" + id + "/traces/").orElse(""), redactor);
        encoder.start();
        return encoder;
    }

    @Override
    public byte[] headerBytes() {
        return null;
    }

    @Override
    public byte[] footerBytes() {
        return null;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        Writer writer = written(event);
        byte[] line = Arrays.copyOf(writer.out.bytes, writer.out.count);
        giveBack(writer);
        return line;
    }

    /** Encodes the event's line straight into stdout's sink: one copy, into what waits there. */
    void encodeTo(ILoggingEvent event, StdoutSink sink) {
        Writer writer = written(event);
        sink.write(writer.out.bytes, writer.out.count);
        giveBack(writer);
    }

    /**
     * {@return a writer holding the event's line and its newline} A writer that threw is not given
     * back: its generator may be mid-object.
     */
    private Writer written(ILoggingEvent event) {
        Writer writer = takeWriter();
        try {
            writer.out.reset();
            if (event instanceof PreparedEvent prepared) {
                writePrepared(prepared, writer.json);
            } else {
                write(event, writer.json);
            }
            writer.json.flush();
            writer.out.write(NEWLINE, 0, NEWLINE.length);
            return writer;
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible); // the output is memory
        }
    }

    private void write(ILoggingEvent event, JsonGenerator json) throws IOException {
        json.writeStartObject();
        boolean ecs = shape == Shape.ECS;
        if (ecs) {
            writeTime(json, TIMESTAMP, event.getTimeStamp());
            json.writeStringField("log.level", event.getLevel().toString());
        } else {
            json.writeStringField("severity", severity(event.getLevel()));
            writeTime(json, TIME, event.getTimeStamp());
        }
        writeText(json, "message", event.getFormattedMessage());
        json.writeStringField(ecs ? "log.logger" : "logger", event.getLoggerName());
        json.writeStringField(ecs ? "process.thread.name" : "thread", event.getThreadName());
        writeFixed(json);
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (!ecs) {
            writeCloudTrace(json, mdc);
        }
        for (Map.Entry<String, String> entry : mdc.entrySet()) {
            if (entry.getKey().equals(TraceParent.FLAGS_KEY) || !ecs && (entry.getKey().equals(LogContext.TRACE_ID)
                    || entry.getKey().equals(LogContext.SPAN_ID))) {
                continue;
            }
            if (entry.getValue() != null) {
                json.writeFieldName(redactor.redactKey(entry.getKey()));
                json.writeString(redactor.apply(entry.getValue()));
            }
        }
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        if (pairs != null) {
            for (KeyValuePair pair : pairs) {
                json.writeFieldName(redactor.redactKey(String.valueOf(pair.key)));
                writeValue(json, pair.value);
            }
        }
        IThrowableProxy error = event.getThrowableProxy();
        if (error != null) {
            json.writeStringField("error.type", error.getClassName());
            writeText(json, "error.message", error.getMessage());
            json.writeStringField(ecs ? "error.stack_trace" : "stack_trace", stackTraces.convert(event));
        }
        json.writeEndObject();
    }

    /**
     * {@return the line of an event made safe where it was made} The same object a Logback event
     * with the request's id and trace in its MDC would give; the message, the request id and every
     * value are written as given (the caller redacted and capped what the client supplied), field
     * names from their encoded form.
     */
    private void writePrepared(PreparedEvent event, JsonGenerator json) throws IOException {
        // log.redact's patterns mask whatever they match in every string, the framework's own too
        // (a client's address, a request id): a prepared event's text is safe of secrets, not of them.
        boolean patterns = redactor.hasPatterns();
        TraceParent trace = event.trace();
        SerializableString[] names = event.encodedNames();
        Object[] values = event.values();
        json.writeStartObject();
        boolean ecs = shape == Shape.ECS;
        if (ecs) {
            writeTime(json, TIMESTAMP, event.getTimeStamp());
            json.writeFieldName(LEVEL);
            json.writeString(INFO);
        } else {
            json.writeFieldName(SEVERITY);
            json.writeString(INFO);
            writeTime(json, TIME, event.getTimeStamp());
        }
        json.writeFieldName(MESSAGE);
        json.writeString(patterned(patterns, event.getFormattedMessage()));
        json.writeFieldName(ecs ? LOGGER : GCP_LOGGER);
        json.writeString(event.getLoggerName());
        json.writeFieldName(ecs ? THREAD : GCP_THREAD);
        json.writeString(event.getThreadName());
        writeFixed(json);
        if (trace != null && !ecs) {
            json.writeFieldName(GCP_TRACE_NAME);
            json.writeString(tracePrefix + patterned(patterns, trace.traceId()));
            json.writeFieldName(GCP_SPAN_NAME);
            json.writeString(patterned(patterns, trace.parentId()));
        }
        json.writeFieldName(REQUEST_ID);
        json.writeString(patterned(patterns, event.requestId()));
        if (trace != null && ecs) {
            json.writeFieldName(TRACE_ID);
            json.writeString(patterned(patterns, trace.traceId()));
            json.writeFieldName(SPAN_ID);
            json.writeString(patterned(patterns, trace.parentId()));
        }
        for (int i = 0; i < names.length; i++) {
            Object value = values[i];
            if (value == null) {
                continue;
            }
            json.writeFieldName(names[i]);
            // instanceof, not a switch over types: each such switch is bootstrapped at its first
            // run, a generated class and some method handles, milliseconds at startup on one core.
            if (value instanceof String text) {
                json.writeString(patterned(patterns, text));
            } else if (value instanceof Integer n) {
                json.writeNumber(n);
            } else if (value instanceof Long n) {
                json.writeNumber(n);
            } else if (value instanceof Boolean b) {
                json.writeBoolean(b);
            } else {
                json.writeString(redactor.apply(text(value)));
            }
        }
        json.writeEndObject();
    }

    /** {@return a prepared event's text, through {@code log.redact}'s patterns when they are set} */
    private String patterned(boolean patterns, String text) {
        return patterns ? redactor.apply(text) : text;
    }

    /** The service's fields, the same in every event: written from their encoded form, after a field. */
    private void writeFixed(JsonGenerator json) throws IOException {
        if (fixed != null) {
            json.writeRaw(fixed);
        }
    }

    /** The service's fields as JSON, each after a comma: {@code ,"serviceContext":{…},"service.name":"notes"}, or null. */
    private static SerializedString fixedFields(String service, String version, String[] names, String[] values) {
        var text = new StringBuilder();
        if (service != null) {
            text.append(",\"serviceContext\":{\"service\":").append(quoted(service));
            if (version != null) {
                text.append(",\"version\":").append(quoted(version));
            }
            text.append('}');
        }
        for (int i = 0; i < names.length; i++) {
            text.append(',').append(quoted(names[i])).append(':').append(quoted(values[i]));
        }
        return text.isEmpty() ? null : new SerializedString(text.toString());
    }

    private static String quoted(String text) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(text)) + '"';
    }

    /** The trace and span of the request being served, as Cloud Trace names them. */
    private void writeCloudTrace(JsonGenerator json, Map<String, String> mdc) throws IOException {
        String trace = mdc.get(LogContext.TRACE_ID);
        if (trace == null) {
            return;
        }
        json.writeStringField(GCP_TRACE, tracePrefix + trace);
        String span = mdc.get(LogContext.SPAN_ID);
        if (span != null) {
            json.writeStringField(GCP_SPAN, span);
        }
    }

    /** A string the application supplied, redacted and capped; nothing when it is null. */
    private void writeText(JsonGenerator json, String name, String text) throws IOException {
        if (text != null) {
            json.writeStringField(name, redactor.apply(text));
        }
    }

    /**
     * A key-value's value: the common types directly; anything else as Jackson's mapper writes it,
     * every string in it redacted, or, when the mapper cannot, as its text.
     */
    private void writeValue(JsonGenerator json, Object value) throws IOException {
        // instanceof, not a switch over types (see writePrepared)
        if (value == null) {
            json.writeNull();
        } else if (value instanceof CharSequence text) {
            json.writeString(redactor.apply(text.toString()));
        } else if (value instanceof Integer n) {
            json.writeNumber(n);
        } else if (value instanceof Long n) {
            json.writeNumber(n);
        } else if (value instanceof Boolean b) {
            json.writeBoolean(b);
        } else if (value instanceof Double n) {
            json.writeNumber(n);
        } else if (value instanceof Float n) {
            json.writeNumber(n);
        } else if (value instanceof Short n) {
            json.writeNumber(n);
        } else if (value instanceof Byte n) {
            json.writeNumber(n);
        } else if (value instanceof BigDecimal n) {
            json.writeNumber(n);
        } else if (value instanceof BigInteger n) {
            json.writeNumber(n);
        } else {
            var tokens = ObjectWriting.tokens(value, redactor);
            if (tokens != null) {
                tokens.serialize(json); // escaped by this line's generator, like every other string
            } else {
                json.writeString(redactor.apply(text(value)));
            }
        }
    }

    private static String text(Object value) {
        try {
            return String.valueOf(value);
        } catch (RuntimeException | StackOverflowError e) { // a toString that recurses without end
            return "(" + value.getClass().getName() + ": toString failed with " + e.getClass().getName() + ")";
        }
    }

    /**
     * UTC ISO-8601 with milliseconds ({@code 2025-11-26T16:00:00.123Z}): the date formatted once per
     * second, the whole value encoded once per millisecond (a busy service logs many in one).
     */
    private void writeTime(JsonGenerator json, SerializableString name, long millis) throws IOException {
        Milli milli = lastMilli;
        if (milli.millis() != millis) {
            long epochSecond = Math.floorDiv(millis, 1000L);
            Second second = lastSecond;
            if (second.epochSecond() != epochSecond) {
                second = new Second(epochSecond, TO_SECOND.format(Instant.ofEpochSecond(epochSecond)).toCharArray());
                lastSecond = second;
            }
            char[] prefix = second.text();
            char[] text = Arrays.copyOf(prefix, prefix.length + 4);
            int ms = (int) Math.floorMod(millis, 1000L);
            text[prefix.length] = (char) ('0' + ms / 100);
            text[prefix.length + 1] = (char) ('0' + ms / 10 % 10);
            text[prefix.length + 2] = (char) ('0' + ms % 10);
            text[prefix.length + 3] = 'Z';
            milli = new Milli(millis, new SerializedString(new String(text)));
            lastMilli = milli;
        }
        json.writeFieldName(name);
        json.writeString(milli.text());
    }

    /** Cloud Logging's names for Logback's levels. */
    private static String severity(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "ERROR";
            case Level.WARN_INT -> "WARNING";
            case Level.INFO_INT -> "INFO";
            default -> "DEBUG";
        };
    }

    /** A generator and the buffer it writes into. */
    private record Writer(Out out, JsonGenerator json) {}

    private Writer takeWriter() throws UncheckedIOException {
        Writer writer;
        if (Thread.currentThread().isVirtual()) {
            writer = sharedWriters.poll();
        } else {
            writer = ownWriter.get();
            ownWriter.remove();
        }
        if (writer == null) {
            var out = new Out();
            try {
                writer = new Writer(out, factory.createGenerator(out, JsonEncoding.UTF8));
            } catch (IOException impossible) {
                throw new UncheckedIOException(impossible);
            }
        }
        return writer;
    }

    private void giveBack(Writer writer) {
        if (writer.out.bytes.length > LARGEST_KEPT) {
            return; // one huge event should not keep its buffer for good
        }
        if (Thread.currentThread().isVirtual()) {
            if (sharedWriters.size() < MOST_SHARED_WRITERS) {
                sharedWriters.offer(writer);
            }
        } else {
            ownWriter.set(writer);
        }
    }

    /** A growable byte buffer the generator flushes into, kept for the next event. */
    private static final class Out extends OutputStream {
        private byte[] bytes = new byte[1024];
        private int count;

        void reset() {
            count = 0;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, bytes, count, len);
            count += len;
        }

        private void ensure(int more) {
            if (count + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
            }
        }
    }

    /**
     * Jackson's object mapper, for key-values of other types (records, maps, lists): made on
     * first use, so a service that logs none does not load it at startup.
     */
    private static final class ObjectWriting {
        private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .disable(com.fasterxml.jackson.databind.SerializationFeature.FAIL_ON_EMPTY_BEANS);

        /**
         * {@return the value as Jackson's tokens, every string redacted, for the line's generator to
         * write; or null when the mapper cannot write it — a type it does not know, a getter that
         * throws, objects that contain each other — and the caller writes its text instead}
         */
        static com.fasterxml.jackson.databind.util.TokenBuffer tokens(Object value, Redactor redactor) {
            var tokens = new com.fasterxml.jackson.databind.util.TokenBuffer(MAPPER, false);
            try {
                MAPPER.writeValue(new RedactingGenerator(tokens, redactor), value);
                return tokens;
            } catch (IOException | RuntimeException | StackOverflowError cannot) {
                return null;
            }
        }
    }
}
