package dev.skiff.http.internal;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The application's JSON mapper: Skiff's defaults ({@link Json#newMapper}) and what the
 * application configured with {@code app.json(…)}, made once when first needed — after setup — and
 * shared by {@code ctx.json}, {@code ctx.bodyAs}, problem members and the service clients. Until the
 * application configures it or a body needs it, answers of plain shapes are written without it
 * ({@link PlainJson}), so jackson-databind is not loaded.
 */
public final class JsonCodec {

    private final List<Consumer<ObjectMapper>> steps = new ArrayList<>();
    private volatile ObjectMapper mapper;
    /** Set at the first write: configuring the mapper after that would change answers already given. */
    private volatile boolean used;

    /** Adds a configuration step; refused once the mapper was made. */
    public synchronized void configure(Consumer<ObjectMapper> step) {
        Objects.requireNonNull(step, "configure");
        if (mapper != null || used) {
            throw new IllegalStateException("the JSON mapper is configured while the application is set up, not after"
                    + " it was first used");
        }
        steps.add(step);
    }

    /** {@return the mapper, made at the first call} */
    public ObjectMapper mapper() {
        ObjectMapper made = mapper;
        if (made == null) {
            synchronized (this) {
                if (mapper == null) {
                    ObjectMapper fresh = Json.newMapper();
                    steps.forEach(step -> step.accept(fresh));
                    mapper = fresh;
                }
                made = mapper;
            }
        }
        return made;
    }

    /** Reads JSON into a type, generic ones included. */
    public <T> T read(byte[] json, Type type) throws IOException {
        ObjectMapper m = mapper();
        JavaType javaType = m.getTypeFactory().constructType(type);
        return m.readValue(json, javaType);
    }

    /**
     * Reads a backing service's JSON answer; one that does not fit is the service's failure, said
     * in its terms for the log.
     */
    public <T> T readAnswer(String service, java.net.http.HttpResponse<byte[]> response, Type type) throws IOException {
        try {
            return read(response.body(), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(service + " answered " + response.request().method() + " "
                    + response.request().uri().getRawPath() + " with status " + response.statusCode()
                    + " and a body that does not fit: " + Json.describe(e).detail(), e);
        }
    }

    /**
     * Writes a value as compact JSON in UTF-8: without jackson-databind when the application left the
     * mapper as it is and the value is one {@link PlainJson} writes as the mapper would.
     */
    public byte[] write(Object value) {
        if (!used) {
            used = true;
        }
        if (steps.isEmpty()) {
            byte[] plain = PlainJson.write(value);
            if (plain != null) {
                return plain;
            }
        }
        return Json.writeBytes(mapper(), value);
    }
}
