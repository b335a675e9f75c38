package dev.skiff.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.stream.Collectors;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.skiff.config.Secret;

/** The one JSON mapper of the HTTP layer. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            // Jackson's default keeps its buffers per thread; every request has a new virtual
            // thread, so each response would allocate them again. One pool for all threads,
            // bounded: buffers grown for a large body are not kept for good beyond a few.
            .recyclerPool(JsonRecyclerPools.newBoundedPool(16))
            .build())
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // Times as ISO-8601 text ("2026-11-26T18:00:00Z"), not numbers; Optional as its value.
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // An absent value is left out ("error" of a passing check), not written as null.
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            // A Secret in a response body shows as its mask, never its value.
            .registerModule(new SimpleModule("skiff-secret").addSerializer(Secret.class, new ToStringSerializer()));

    private Json() {}

    /** Reads JSON into a type; unknown properties are an error, so a typo in a field is not lost. */
    public static <T> T read(byte[] json, Class<T> type) throws java.io.IOException {
        return MAPPER.readValue(json, type);
    }

    /** {@return what is wrong with a JSON body, for the client: the problem and where, no class names} */
    public static String describe(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : "; the fields are " + unknown.getKnownPropertyIds()
                    .stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
            return "unknown field \"" + unknown.getPropertyName() + "\"" + known + where;
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String field = mismatch.getPath().stream()
                    .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
                    .collect(Collectors.joining("."));
            String expected = mismatch.getTargetType() == null ? "another value"
                    : "a " + friendly(mismatch.getTargetType());
            return "field \"" + field + "\" has the wrong type; expected " + expected + where;
        }
        if (e instanceof JsonParseException) {
            String message = e.getOriginalMessage();
            int cut = message.indexOf('\n');
            return "malformed JSON: " + (cut > 0 ? message.substring(0, cut) : message) + where;
        }
        return "the JSON does not fit" + where;
    }

    private static String friendly(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "string";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "list";
        }
        return "JSON object";
    }

    /** Writes a value as compact JSON in UTF-8. */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Writes a value as compact JSON. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
