package dev.skiff.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.LayoutBase;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One readable line per event: time, aligned level, thread, logger, message, then context and
 * key-values as {@code key=value}, then the error and its causes. Colours only on a terminal.
 */
final class TextLayout extends LayoutBase<ILoggingEvent> {

    private static final String RESET = "\u001b[0m";

    private final Redactor redactor;
    private final boolean colour;
    private final DateTimeFormatter time;

    /**
     * Creates the layout.
     *
     * @param redactor what masks secrets in the finished line
     * @param colour whether to colour the level with ANSI escapes
     * @param zone the time zone of the time of day each line starts with
     */
    public TextLayout(Redactor redactor, boolean colour, ZoneId zone) {
        this.redactor = redactor;
        this.colour = colour;
        this.time = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone);
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        var line = new StringBuilder(160);
        line.append(time.format(Instant.ofEpochMilli(event.getTimeStamp()))).append(' ');
        String level = String.format("%-5s", event.getLevel());
        if (colour) {
            line.append(colourOf(event.getLevel())).append(level).append(RESET);
        } else {
            line.append(level);
        }
        line.append(" [").append(event.getThreadName()).append("] ")
                .append(shortLogger(event.getLoggerName())).append(" - ")
                .append(event.getFormattedMessage());
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            mdc.forEach((k, v) -> {
                if (!k.equals(TraceParent.FLAGS_KEY)) {
                    line.append(' ').append(k).append('=').append(v);
                }
            });
        }
        if (event.getKeyValuePairs() != null) {
            for (KeyValuePair pair : event.getKeyValuePairs()) {
                line.append(' ').append(pair.key).append('=').append(pair.value);
            }
        }
        IThrowableProxy error = event.getThrowableProxy();
        for (int depth = 0; error != null && depth < 10; depth++) {
            line.append(depth == 0 ? " | error: " : " | caused by: ")
                    .append(error.getClassName()).append(": ").append(error.getMessage());
            StackTraceElementProxy[] frames = error.getStackTraceElementProxyArray();
            if (frames != null && frames.length > 0) {
                line.append(" (at ").append(frames[0].getStackTraceElement()).append(')');
            }
            error = error.getCause() == error ? null : error.getCause();
        }
        return oneLine(redactor.apply(line.toString())) + System.lineSeparator();
    }

    /** Escapes line breaks and other control characters, so one event is one line. */
    static String oneLine(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\t' && c != '\u001b' || c == 0x7f;
            if (control && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                switch (c) {
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> {
                        if (control) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String colourOf(Level level) {
        return switch (level.toInt()) {
            case Level.ERROR_INT -> "\u001b[31m";
            case Level.WARN_INT -> "\u001b[33m";
            case Level.INFO_INT -> "\u001b[32m";
            default -> "\u001b[2m";
        };
    }

    private static String shortLogger(String name) {
        if (name.length() <= 36) {
            return name;
        }
        String[] parts = name.split("\\.");
        var out = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            out.append(parts[i].isEmpty() ? "" : parts[i].substring(0, 1)).append('.');
        }
        return out.append(parts[parts.length - 1]).toString();
    }
}
