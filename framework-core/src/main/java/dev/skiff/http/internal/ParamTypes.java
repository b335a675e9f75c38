package dev.skiff.http.internal;

import dev.skiff.http.HttpException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads a path or query parameter as a type; a value that is not one is the client's 400. */
final class ParamTypes {

    private ParamTypes() {}

    /** ASCII digits only: {@code Integer.parseInt} would take other scripts' digits too. */
    private static final java.util.regex.Pattern WHOLE = java.util.regex.Pattern.compile("[-+]?[0-9]{1,19}");
    /** A plain decimal, with an exponent of at most three digits: no hex floats, no {@code 1e999999999}. */
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[-+]?([0-9]{1,400}(\\.[0-9]{0,400})?|\\.[0-9]{1,400})([eE][-+]?[0-9]{1,3})?");

    private static Function<String, Object> only(java.util.regex.Pattern shape, Function<String, Object> parse) {
        return text -> {
            if (!shape.matcher(text).matches()) {
                throw new IllegalArgumentException(text);
            }
            return parse.apply(text);
        };
    }

    /**
     * Converts a parameter's text.
     *
     * @param what how the client knows the parameter, such as {@code path parameter {id}}
     */
    static <T> T convert(String what, String text, Class<T> type) {
        Class<?> boxed = boxed(type);
        if (boxed == String.class) {
            return cast(type, text);
        }
        if (boxed.isEnum()) {
            for (Object constant : boxed.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(text)) {
                    return cast(type, constant);
                }
            }
            throw wrong(what, text, "one of " + Arrays.stream(boxed.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
        }
        Function<String, Object> parse;
        String expected;
        if (boxed == Integer.class) {
            parse = only(WHOLE, Integer::valueOf);
            expected = "a whole number";
        } else if (boxed == Long.class) {
            parse = only(WHOLE, Long::valueOf);
            expected = "a whole number";
        } else if (boxed == Double.class) {
            parse = only(DECIMAL, s -> {
                double d = Double.parseDouble(s);
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException(s);
                }
                return d;
            });
            expected = "a number";
        } else if (boxed == BigDecimal.class) {
            parse = only(DECIMAL, BigDecimal::new);
            expected = "a number";
        } else if (boxed == Boolean.class) {
            parse = s -> switch (s.toLowerCase(Locale.ROOT)) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException(s);
            };
            expected = "true or false";
        } else if (boxed == UUID.class) {
            parse = UUID::fromString;
            expected = "a UUID";
        } else if (boxed == LocalDate.class) {
            parse = LocalDate::parse;
            expected = "an ISO-8601 date, such as 2026-12-06";
        } else if (boxed == Instant.class) {
            parse = Instant::parse;
            expected = "an ISO-8601 instant, such as 2026-12-06T10:15:30Z";
        } else {
            throw new IllegalArgumentException("a parameter cannot be read as " + type.getName()
                    + "; read it as a String and convert it, or use String, int, long, double, boolean, BigDecimal,"
                    + " UUID, LocalDate, Instant or an enum");
        }
        try {
            return cast(type, parse.apply(text));
        } catch (RuntimeException e) {
            throw wrong(what, text, expected);
        }
    }

    private static HttpException wrong(String what, String text, String expected) {
        String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
        return HttpException.badRequest(what + " is \"" + shown + "\", not " + expected);
    }

    @SuppressWarnings("unchecked")
    private static <T> T cast(Class<T> type, Object value) {
        return (T) value;
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        throw new IllegalArgumentException("a parameter cannot be read as " + type + "; use int, long, double or boolean");
    }
}
