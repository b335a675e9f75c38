package dev.skiff.testing;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One log event a service wrote while a test ran, as {@link SkiffExtension#logs()} captures it.
 *
 * @param time when it was written
 * @param level {@code TRACE}, {@code DEBUG}, {@code INFO}, {@code WARN} or {@code ERROR}
 * @param logger the logger's name
 * @param message the formatted message
 * @param fields its key-values and MDC entries, such as {@code request_id}
 * @param errorType the class of its exception, if it has one
 */
public record LogEvent(Instant time, String level, String logger, String message, Map<String, Object> fields,
                       Optional<String> errorType) {

    /**
     * {@return a field's value, such as {@code note.id}, if the event has it}
     *
     * @param name the field's name
     */
    public Optional<Object> field(String name) {
        return Optional.ofNullable(fields.get(name));
    }
}
