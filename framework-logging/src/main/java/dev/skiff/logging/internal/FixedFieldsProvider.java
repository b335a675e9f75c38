package dev.skiff.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import net.logstash.logback.composite.AbstractJsonProvider;

/**
 * Writes the same text fields into every event, such as {@code service.name}: written directly,
 * without the object mapper that logstash's custom-fields provider parses them with at startup.
 */
final class FixedFieldsProvider extends AbstractJsonProvider<ILoggingEvent> {

    private final String[] names;
    private final String[] values;

    FixedFieldsProvider(Map<String, String> fields) {
        var sorted = new TreeMap<>(fields);
        names = sorted.keySet().toArray(String[]::new);
        values = sorted.values().toArray(String[]::new);
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        for (int i = 0; i < names.length; i++) {
            generator.writeStringField(names[i], values[i]);
        }
    }
}
