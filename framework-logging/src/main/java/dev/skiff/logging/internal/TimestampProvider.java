package dev.skiff.logging.internal;

import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import net.logstash.logback.composite.AbstractFieldJsonProvider;

/**
 * Writes the time ({@code @timestamp} by default) as UTC ISO-8601 with milliseconds ({@code 2025-11-26T16:00:00.123Z}),
 * formatting the date and time only once per second: the part every event pays for.
 */
final class TimestampProvider extends AbstractFieldJsonProvider<ILoggingEvent> {

    private static final DateTimeFormatter TO_SECOND =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);

    /** The text of one second, shared by every event within it. */
    private record Second(long epochSecond, char[] text) {}

    private volatile Second last = new Second(Long.MIN_VALUE, new char[0]);

    TimestampProvider(String fieldName) {
        setFieldName(fieldName);
    }

    @Override
    public void writeTo(JsonGenerator generator, ILoggingEvent event) throws IOException {
        long millis = event.getTimeStamp();
        long epochSecond = Math.floorDiv(millis, 1000L);
        Second second = last;
        if (second.epochSecond() != epochSecond) {
            second = new Second(epochSecond, TO_SECOND.format(Instant.ofEpochSecond(epochSecond)).toCharArray());
            last = second;
        }
        char[] prefix = second.text();
        char[] text = new char[prefix.length + 4];
        System.arraycopy(prefix, 0, text, 0, prefix.length);
        int ms = (int) Math.floorMod(millis, 1000L);
        text[prefix.length] = (char) ('0' + ms / 100);
        text[prefix.length + 1] = (char) ('0' + ms / 10 % 10);
        text[prefix.length + 2] = (char) ('0' + ms % 10);
        text[prefix.length + 3] = 'Z';
        generator.writeFieldName(getFieldName());
        generator.writeString(text, 0, text.length);
    }
}
