package dev.skiff.logging.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;
import java.util.Set;
import net.logstash.logback.decorate.JsonGeneratorDecorator;

/**
 * Passes every string value of a JSON event through the {@link Redactor}: the message, key-values,
 * MDC entries, the stack trace, whatever provider wrote them.
 */
final class RedactingDecorator implements JsonGeneratorDecorator {

    private final Redactor redactor;
    private final Set<String> trustedFields;

    /**
     * Creates the decorator.
     *
     * @param redactor what masks and cuts each string
     * @param trustedFields fields whose values Skiff itself writes (the timestamp, the level, the
     *     logger and thread names, the service's own fields), left as they are
     */
    public RedactingDecorator(Redactor redactor, Set<String> trustedFields) {
        this.redactor = redactor;
        this.trustedFields = Set.copyOf(trustedFields);
    }

    @Override
    public JsonGenerator decorate(JsonGenerator generator) {
        // false: objects are serialized through this generator, so their strings are redacted too
        return new JsonGeneratorDelegate(generator, false) {
            private boolean trusted;

            @Override
            public void writeFieldName(String name) throws IOException {
                trusted = trustedFields.contains(name);
                // A key-value's key or a map's key is data too: it may be a secret.
                super.writeFieldName(trusted ? name : redactor.redactKey(name));
            }

            @Override
            public void writeBinary(com.fasterxml.jackson.core.Base64Variant variant, byte[] data, int offset, int length)
                    throws IOException {
                // byte[] values are written as base64 text; written as text, the redactor sees them.
                writeString(java.util.Base64.getEncoder().encodeToString(
                        java.util.Arrays.copyOfRange(data, offset, offset + length)));
            }

            @Override
            public void writeString(String text) throws IOException {
                super.writeString(trusted ? text : redactor.apply(text));
            }

            @Override
            public void writeString(char[] text, int offset, int length) throws IOException {
                if (trusted) {
                    super.writeString(text, offset, length);
                } else {
                    writeString(new String(text, offset, length));
                }
            }

            @Override
            public void writeString(SerializableString text) throws IOException {
                writeString(text.getValue());
            }

            @Override
            public void writeStringField(String fieldName, String value) throws IOException {
                writeFieldName(fieldName);
                writeString(value);
            }

            @Override
            public void writeObjectField(String fieldName, Object value) throws IOException {
                writeFieldName(fieldName);
                writeObject(value);
            }

            @Override
            public void writeObject(Object value) throws IOException {
                // The common key-value types directly: the object mapper costs an allocation per call.
                switch (value) {
                    case null -> writeNull();
                    case CharSequence text -> writeString(text.toString());
                    case Integer n -> writeNumber(n);
                    case Long n -> writeNumber(n);
                    case Double n -> writeNumber(n);
                    case Boolean b -> writeBoolean(b);
                    default -> super.writeObject(value);
                }
            }
        };
    }
}
