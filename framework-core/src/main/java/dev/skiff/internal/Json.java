package dev.skiff.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import dev.skiff.config.Secret;

/** The one JSON mapper of the HTTP layer. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // An absent value is left out ("error" of a passing check), not written as null.
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            // A Secret in a response body shows as its mask, never its value.
            .registerModule(new SimpleModule("skiff-secret").addSerializer(Secret.class, new ToStringSerializer()));

    private Json() {}

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
