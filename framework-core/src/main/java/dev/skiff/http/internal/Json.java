package dev.skiff.http.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.skiff.config.Secret;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Skiff's JSON defaults, the mapper of its own bodies (problems, management endpoints), and what
 * a client is told about a JSON body that does not fit.
 */
public final class Json {

    /** Made when first needed: a service whose answers {@link PlainJson} writes never loads jackson-databind. */
    private static final class Default {
        private static final ObjectMapper MAPPER = newMapper();
    }

    private Json() {}

    /**
     * {@return a mapper with Skiff's defaults}: {@code java.time} values as ISO-8601 text
     * ({@code "2026-12-06T10:15:30Z"}, {@code "PT30M"}), {@code Optional} as its value, absent
     * values left out, unknown properties an error, a {@code Secret} as its mask.
     */
    public static ObjectMapper newMapper() {
        return new ObjectMapper(JsonFactory.builder()
                // Jackson's default keeps its buffers per thread; every request has a new virtual
                // thread, so each response would allocate them again. One pool for all threads,
                // bounded: buffers grown for a large body are not kept for good beyond a few.
                .recyclerPool(JsonRecyclerPools.newBoundedPool(16))
                .build())
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .registerModule(new JavaTimeModule())
                .registerModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
                // A typo in a field is an error, not a value silently lost; so are a second value
                // after the first and a fraction where a whole number goes. (A number left out stays
                // 0: failing on it would be reported before, and instead of, a misspelt field's name.)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                // An absent value is left out ("error" of a passing check), not written as null.
                .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
                // A Secret in a response body shows as its mask, never its value.
                .registerModule(new SimpleModule("skiff-secret").addSerializer(Secret.class, new ToStringSerializer()));
    }

    /** Reads JSON into a type; unknown properties are an error, so a typo in a field is not lost. */
    public static <T> T read(byte[] json, Class<T> type) throws java.io.IOException {
        return Default.MAPPER.readValue(json, type);
    }

    /**
     * What is wrong with a JSON body, for the client.
     *
     * @param detail the problem and where, in the body's terms: never a Java type
     * @param pointer the JSON pointer (RFC 6901) of the value that is wrong, such as
     *     {@code /items/0/price}; empty for the whole body
     */
    public record Mismatch(String detail, String pointer) {}

    /** {@return what is wrong with a JSON body, for the client: the problem and where, no class names} */
    public static Mismatch describe(JsonProcessingException e) {
        String where = e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        String pointer = e instanceof JsonMappingException mapping ? pointer(mapping.getPath()) : "";
        String at = pointer.isEmpty() ? "the body" : "\"" + pointer + "\"";
        if (String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
            return new Mismatch("the body holds more after its JSON value" + where, "");
        }
        if (e instanceof UnrecognizedPropertyException unknown) {
            String known = unknown.getKnownPropertyIds() == null ? "" : "; the fields are " + unknown.getKnownPropertyIds()
                    .stream().map(String::valueOf).sorted().collect(Collectors.joining(", "));
            String in = pointer.lastIndexOf('/') > 0 ? " at \"" + pointer + "\"" : "";
            return new Mismatch("unknown field \"" + unknown.getPropertyName() + "\"" + in + known + where, pointer);
        }
        String said = String.valueOf(e.getOriginalMessage());
        var required = java.util.regex.Pattern.compile("Missing required creator property '([^']{1,200})'").matcher(said);
        if (required.find()) {
            // A component marked @JsonProperty(required = true) that the body left out.
            String name = "/" + required.group(1).replace("~", "~0").replace("/", "~1");
            String field = pointer.endsWith(name) ? pointer : pointer + name;
            return new Mismatch("\"" + field + "\" is required" + where, field);
        }
        if (said.startsWith("Cannot map `null` into type") && !pointer.isEmpty()) {
            // A number or boolean left out or null, when the application's mapper fails on it
            // (FAIL_ON_NULL_FOR_PRIMITIVES).
            String expected = e instanceof MismatchedInputException m && m.getTargetType() != null
                    ? friendly(m.getTargetType()) : "a value";
            return new Mismatch(at + " is missing or null; expected " + expected + where, pointer);
        }
        if (e instanceof ValueInstantiationException invalid) {
            // A record's compact constructor said no: its IllegalArgumentException is written for people.
            Throwable cause = invalid.getCause();
            String why = cause instanceof IllegalArgumentException && cause.getMessage() != null
                    ? ": " + cause.getMessage() : "";
            return new Mismatch(at + " is not valid" + why + where, pointer);
        }
        if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String expected = mismatch.getTargetType() == null ? "another value" : friendly(mismatch.getTargetType());
            String got = e instanceof InvalidFormatException format && format.getValue() instanceof String text
                    && text.length() <= 40 ? " (got \"" + text + "\")" : "";
            return new Mismatch(at + " has the wrong type; expected " + expected + got + where, pointer);
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return new Mismatch("the body has the wrong type; expected " + friendly(mismatch.getTargetType()) + where,
                    pointer);
        }
        if (e instanceof com.fasterxml.jackson.core.exc.InputCoercionException) {
            return new Mismatch("a number in the body is out of range" + where, pointer);
        }
        if (e instanceof JsonParseException) {
            return new Mismatch("malformed JSON: " + parserSays(e.getOriginalMessage()) + where, pointer);
        }
        if (said.startsWith("Numeric value") && said.contains("out of range")) {
            return new Mismatch(at + " is a number out of range" + where, pointer);
        }
        return new Mismatch("the JSON does not fit at " + at + where, pointer);
    }

    /** The parser's words, without its notes on where it read from (they name its own types). */
    private static String parserSays(String message) {
        String said = message == null ? "" : message;
        int cut = said.indexOf('\n');
        said = cut > 0 ? said.substring(0, cut) : said;
        int source = said.indexOf(" (start marker at [Source");
        if (source < 0) {
            source = said.indexOf(" at [Source");
        }
        if (source < 0) {
            source = said.indexOf("[Source");
        }
        return (source > 0 ? said.substring(0, source) : said).strip();
    }

    /** {@return the JSON pointer of a path of references: {@code /items/0/price}} */
    static String pointer(List<JsonMappingException.Reference> path) {
        var pointer = new StringBuilder();
        for (JsonMappingException.Reference ref : path) {
            pointer.append('/');
            if (ref.getFieldName() != null) {
                pointer.append(ref.getFieldName().replace("~", "~0").replace("/", "~1"));
            } else if (ref.getIndex() >= 0) {
                pointer.append(ref.getIndex());
            } else {
                pointer.append('-');
            }
        }
        return pointer.toString();
    }

    private static String friendly(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class
                || type == short.class || type == Short.class || type == java.math.BigInteger.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == java.math.BigDecimal.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == char.class || type == Character.class) {
            return "a string";
        }
        if (type.isEnum()) {
            return "one of " + Arrays.stream(type.getEnumConstants()).map(String::valueOf)
                    .collect(Collectors.joining(", "));
        }
        if (type == java.time.Instant.class || type == java.time.OffsetDateTime.class
                || type == java.time.ZonedDateTime.class) {
            return "an ISO-8601 date and time, such as \"2026-12-06T10:15:30Z\"";
        }
        if (type == java.time.LocalDate.class) {
            return "an ISO-8601 date, such as \"2026-12-06\"";
        }
        if (type == java.time.Duration.class) {
            return "an ISO-8601 duration, such as \"PT30M\"";
        }
        if (type == java.util.UUID.class) {
            return "a UUID";
        }
        if (type.isArray() || java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "a JSON object";
    }

    /** Writes a value as compact JSON in UTF-8. */
    public static byte[] writeBytes(Object value) {
        byte[] plain = PlainJson.write(value);
        return plain != null ? plain : writeBytes(Default.MAPPER, value);
    }

    static byte[] writeBytes(ObjectMapper mapper, Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }

    /** Writes a value as compact JSON. */
    public static String write(Object value) {
        try {
            return Default.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON: "
                    + e.getOriginalMessage(), e);
        }
    }
}
