package dev.skiff.logging.internal;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.JsonGeneratorDelegate;
import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A generator that passes every string and field name written through it to the
 * {@link Redactor}: what Jackson's object mapper writes of a key-value's object (a record, a map,
 * a list) is data the application supplied, however deep.
 */
final class RedactingGenerator extends JsonGeneratorDelegate {

    private final Redactor redactor;

    RedactingGenerator(JsonGenerator generator, Redactor redactor) {
        // false: objects are serialized through this generator, so their strings are redacted too
        super(generator, false);
        this.redactor = redactor;
    }

    @Override
    public void writeFieldName(String name) throws IOException {
        // A map's key is data too: it may be a secret.
        super.writeFieldName(redactor.redactKey(name));
    }

    @Override
    public void writeFieldName(SerializableString name) throws IOException {
        writeFieldName(name.getValue());
    }

    @Override
    public void writeBinary(Base64Variant variant, byte[] data, int offset, int length) throws IOException {
        // byte[] values are written as base64 text; written as text, the redactor sees them.
        writeString(Base64.getEncoder().encodeToString(Arrays.copyOfRange(data, offset, offset + length)));
    }

    @Override
    public void writeString(String text) throws IOException {
        super.writeString(text == null ? null : redactor.apply(text));
    }

    @Override
    public void writeString(char[] text, int offset, int length) throws IOException {
        writeString(new String(text, offset, length));
    }

    @Override
    public void writeString(SerializableString text) throws IOException {
        writeString(text.getValue());
    }

    @Override
    public int writeBinary(Base64Variant variant, java.io.InputStream data, int length) throws IOException {
        byte[] bytes = length < 0 ? data.readAllBytes() : data.readNBytes(length);
        writeBinary(variant, bytes, 0, bytes.length);
        return bytes.length;
    }

    // Raw JSON (@JsonRawValue, RawValue) would reach the line unredacted: it is written as a string.

    @Override
    public void writeRawValue(String text) throws IOException {
        writeString(text);
    }

    @Override
    public void writeRawValue(String text, int offset, int length) throws IOException {
        writeString(text.substring(offset, offset + length));
    }

    @Override
    public void writeRawValue(char[] text, int offset, int length) throws IOException {
        writeString(new String(text, offset, length));
    }

    @Override
    public void writeRawValue(SerializableString text) throws IOException {
        writeString(text.getValue());
    }

    // Raw text outside a value (rare in serializers) goes the same way.

    @Override
    public void writeRaw(String text) throws IOException {
        writeRawValue(text);
    }

    @Override
    public void writeRaw(String text, int offset, int length) throws IOException {
        writeRawValue(text, offset, length);
    }

    @Override
    public void writeRaw(char[] text, int offset, int length) throws IOException {
        writeRawValue(text, offset, length);
    }

    @Override
    public void writeRaw(char c) throws IOException {
        writeRawValue(String.valueOf(c));
    }

    @Override
    public void writeRaw(SerializableString text) throws IOException {
        writeRawValue(text);
    }

    @Override
    public void writeString(java.io.Reader reader, int length) throws IOException {
        var text = new java.io.StringWriter();
        reader.transferTo(text);
        String all = text.toString();
        writeString(length < 0 || length >= all.length() ? all : all.substring(0, length));
    }

    @Override
    public void writeArray(String[] array, int offset, int length) throws IOException {
        writeStartArray(array, length);
        for (int i = offset; i < offset + length; i++) {
            writeString(array[i]);
        }
        writeEndArray();
    }

    @Override
    public void writeRawUTF8String(byte[] text, int offset, int length) throws IOException {
        writeString(new String(text, offset, length, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void writeUTF8String(byte[] text, int offset, int length) throws IOException {
        writeString(new String(text, offset, length, java.nio.charset.StandardCharsets.UTF_8));
    }
}
