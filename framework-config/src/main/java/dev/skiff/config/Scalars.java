package dev.skiff.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.math.BigInteger;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The values a configuration record may hold, converted from their text and described for reports. */
final class Scalars {

    /** The types besides enums, records, lists, maps and optionals. */
    static final Set<Class<?>> TYPES = Set.of(String.class, int.class, Integer.class, long.class,
            Long.class, double.class, Double.class, boolean.class, Boolean.class, Duration.class, ByteSize.class,
            URI.class, Path.class, Secret.class);

    private Scalars() {}

    /**
     * {@return the value of {@code text} as {@code raw}}
     *
     * @throws IllegalArgumentException when the text is no such value ({@link OutOfRange} when it is
     *     one, out of the type's range)
     */
    static Object convert(String text, Class<?> raw) throws URISyntaxException {
        if (raw == String.class) {
            return text;
        }
        if (raw == Secret.class) {
            return Secret.of(text);
        }
        if (raw == int.class || raw == Integer.class) {
            return (int) whole(text, Integer.MIN_VALUE, Integer.MAX_VALUE);
        }
        if (raw == long.class || raw == Long.class) {
            return whole(text, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        if (raw == double.class || raw == Double.class) {
            double d = Double.parseDouble(text);
            if (Double.isNaN(d) || Double.isInfinite(d) || text.endsWith("d") || text.endsWith("f")
                    || text.endsWith("D") || text.endsWith("F")) {
                throw new IllegalArgumentException();
            }
            return d;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on" -> Boolean.TRUE;
                case "false", "no", "off" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException();
            };
        }
        if (raw == Duration.class) {
            return duration(text);
        }
        if (raw == ByteSize.class) {
            return new ByteSize(bytes(text));
        }
        if (raw == Path.class) {
            if (text.isEmpty() || text.indexOf('\0') >= 0) {
                throw new IllegalArgumentException();
            }
            return Path.of(text);
        }
        if (raw == URI.class) {
            URI uri = new URI(text);
            if (uri.getScheme() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        }
        return enumConstant(raw, text);
    }

    private static long whole(String text, long min, long max) {
        String digits = text.replace("_", "");
        if (!digits.matches("[+-]?[0-9]+")) {
            throw new IllegalArgumentException();
        }
        var n = new BigInteger(digits);
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new OutOfRange("from " + min + " to " + max);
        }
        return n.longValueExact();
    }

    private static Duration duration(String text) {
        if (text.startsWith("P") || text.startsWith("p") || text.startsWith("-P")) {
            return Duration.parse(text);
        }
        try {
            return parser(text).getDuration("v");
        } catch (ConfigException | IndexOutOfBoundsException e) {
            // Typesafe's parser throws IndexOutOfBounds on some whitespace-only Unicode input.
            throw new IllegalArgumentException(e);
        }
    }

    private static long bytes(String text) {
        try {
            Long bytes = parser(text).getBytes("v");
            if (bytes < 0) {
                throw new OutOfRange("of zero or more bytes");
            }
            return bytes;
        } catch (ConfigException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Config parser(String text) {
        return ConfigFactory.empty().withValue("v", com.typesafe.config.ConfigValueFactory.fromAnyRef(text));
    }

    private static Object enumConstant(Class<?> raw, String text) {
        String wanted = text.replace('-', '_');
        for (Object constant : raw.getEnumConstants()) {
            if (((Enum<?>) constant).name().equalsIgnoreCase(wanted)) {
                return constant;
            }
        }
        throw new IllegalArgumentException();
    }

    static Collection<String> names(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT).replace('_', '-')).toList();
    }

    static String describe(Class<?> raw) {
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "a whole number";
        }
        if (raw == double.class || raw == Double.class) {
            return "a number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (raw == Duration.class) {
            return "a duration such as 250ms, 30s, 5m or PT30S";
        }
        if (raw == ByteSize.class) {
            return "a size such as 512KiB, 10MiB or 1GB";
        }
        if (raw == URI.class) {
            return "an absolute URI such as https://example.com/path";
        }
        if (raw == Path.class) {
            return "a file path";
        }
        if (raw == Secret.class || raw == String.class) {
            return "text";
        }
        if (raw.isEnum()) {
            return "one of " + String.join(", ", names(raw));
        }
        return "a " + raw.getSimpleName();
    }

    static void require(Class<?> raw, String key) {
        if (!TYPES.contains(raw) && !raw.isEnum()) {
            throw new IllegalStateException("configuration records cannot hold a " + raw.getName() + " (at " + key
                    + "); use " + TYPES.stream().map(Class::getSimpleName).sorted().collect(Collectors.joining(", "))
                    + ", an enum, a record, List, Map<String, …> or Optional");
        }
    }

    /** A well-formed value outside what the type holds. */
    static final class OutOfRange extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        OutOfRange(String range) {
            super(range, null);
        }
    }
}
