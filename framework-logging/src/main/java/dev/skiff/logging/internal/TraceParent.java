package dev.skiff.logging.internal;

import java.util.Optional;

/**
 * A W3C Trace Context {@code traceparent} header: {@code 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>}.
 *
 * @param traceId the trace id, 32 lower-case hex digits, not all zero
 * @param parentId the caller's span id, 16 lower-case hex digits, not all zero
 * @param flags the trace flags, 2 lower-case hex digits ({@code 01}: sampled)
 */
public record TraceParent(String traceId, String parentId, String flags) {

    /**
     * The log context's key of the trace flags: kept with the ids so that a call made while
     * serving passes the caller's sampling decision on; no log line shows it.
     */
    public static final String FLAGS_KEY = "trace.flags";

    /** {@return this header's text, version 00} */
    public String header() {
        return "00-" + traceId + "-" + parentId + "-" + flags;
    }

    /** {@return the parsed header, or empty when it is absent or not a valid traceparent} */
    public static Optional<TraceParent> parse(String header) {
        if (header == null) {
            return Optional.empty();
        }
        String h = header.strip();
        // version 00 is exactly 55 characters; later versions may append fields after a dash.
        if (h.length() < 55 || (h.length() > 55 && h.charAt(55) != '-') || h.charAt(2) != '-'
                || h.charAt(35) != '-' || h.charAt(52) != '-') {
            return Optional.empty();
        }
        if (!hex(h, 0, 2) || h.startsWith("ff") || (h.startsWith("00") && h.length() != 55)
                || !hex(h, 3, 35) || !hex(h, 36, 52) || !hex(h, 53, 55) || zero(h, 3, 35) || zero(h, 36, 52)) {
            return Optional.empty();
        }
        String traceId = h.substring(3, 35);
        String parentId = h.substring(36, 52);
        String flags = h.substring(53, 55);
        // Of a later version only the sampled bit is understood, and passed on as version 00.
        String kept = h.startsWith("00") ? flags : (Integer.parseInt(flags, 16) & 1) == 1 ? "01" : "00";
        return Optional.of(new TraceParent(traceId, parentId, kept));
    }

    private static boolean hex(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean zero(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }
}
