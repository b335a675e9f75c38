package dev.skiff.http.internal;

import dev.skiff.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The conditions of a request for a file (RFC 9110): {@code If-None-Match} and
 * {@code If-Modified-Since} (a 304), {@code If-Range}, one byte {@code Range}, and HTTP dates in
 * the form sent and the two obsolete ones read.
 */
final class Conditions {

    private Conditions() {}

    /** IMF-fixdate, the one form sent (RFC 9110): {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** The two obsolete forms a recipient still reads: RFC 850 and asctime. */
    private static final List<DateTimeFormatter> OBSOLETE_DATES = List.of(
            DateTimeFormatter.RFC_1123_DATE_TIME,
            new java.time.format.DateTimeFormatterBuilder().appendPattern("EEEE, dd-MMM-")
                    .appendValueReduced(java.time.temporal.ChronoField.YEAR, 2, 2, 1970)
                    .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.US).withZone(ZoneOffset.UTC),
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC));
    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,400})");
    static boolean notModified(Context ctx, String etag, Instant modified) {
        var noneMatch = ctx.header("If-None-Match");
        if (noneMatch.isPresent()) {
            for (String tag : noneMatch.get().split(",")) {
                String t = tag.trim();
                if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                    return true;
                }
            }
            return false; // If-Modified-Since is ignored when If-None-Match is sent
        }
        var since = ctx.header("If-Modified-Since");
        if (since.isPresent() && modified != null) {
            Instant when = date(since.get());
            return when != null && !modified.isAfter(when);
        }
        return false;
    }

    static boolean ifRangeHolds(Context ctx, String etag, Instant modified) {
        var ifRange = ctx.header("If-Range");
        if (ifRange.isEmpty()) {
            return true;
        }
        String value = ifRange.get().trim();
        if (value.startsWith("\"")) {
            return value.equals(etag);
        }
        Instant when = date(value);
        return when != null && modified != null && modified.equals(when);
    }

    private static Instant date(String text) {
        String trimmed = text.trim();
        try {
            return Instant.from(HTTP_DATE.parse(trimmed));
        } catch (DateTimeParseException e) {
            for (DateTimeFormatter obsolete : OBSOLETE_DATES) {
                try {
                    return Instant.from(obsolete.parse(trimmed));
                } catch (java.time.DateTimeException ignored) {
                    // the next form
                }
            }
            return null;
        }
    }

    static final long[] UNSATISFIABLE = new long[0];

    /**
     * {@return the first and last byte of one range, {@link #UNSATISFIABLE}, or null to send the
     * whole file: a range this server does not take, such as several}
     */
    static long[] span(String range, long size) {
        var m = RANGE.matcher(range.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return null;
        }
        if (m.group(1).isEmpty()) {
            long suffix = m.group(2).length() > 18 ? Long.MAX_VALUE : Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                return UNSATISFIABLE;
            }
            return new long[] {Math.max(0, size - suffix), size - 1};
        }
        long first = Long.parseLong(m.group(1));
        // An end past the file, however many digits it has, is the file's end.
        long last = m.group(2).isEmpty() || m.group(2).length() > 18 ? size - 1
                : Math.min(Long.parseLong(m.group(2)), size - 1);
        if (first >= size) {
            return UNSATISFIABLE;
        }
        if (last < first) {
            return null;
        }
        return new long[] {first, last};
    }
}
