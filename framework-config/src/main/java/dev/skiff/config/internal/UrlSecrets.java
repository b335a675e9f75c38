package dev.skiff.config.internal;

import dev.skiff.config.Secret;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secrets a URL carries, and the URL with them masked: the password of its user info
 * ({@code postgres://user:password@host/db}, with any characters in it, a raw {@code @} or
 * {@code /} included) and the values of {@code password=}, {@code sslpassword=} and {@code pwd=}
 * parameters, after {@code ?}, {@code &} or {@code ;} (jdbc: URLs).
 */
public final class UrlSecrets {

    /** What follows the user info: hosts, an optional path without '@', an optional query. */
    private static final Pattern AFTER_USER_INFO = Pattern.compile(
            "(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._%-]+)(?::\\d*)?(?:,(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._%-]+)(?::\\d*)?)*"
                    + "(?:/[^@?#]*)?(?:[?#;].*)?", Pattern.DOTALL);
    private static final Set<String> SECRET_PARAMETERS = Set.of("password", "sslpassword", "pwd", "passwd");

    private UrlSecrets() {}

    /** A secret's place in the text: [start, end). */
    private record Span(int start, int end) {}

    /**
     * {@return every secret in the text if it is a URL, each as written and percent-decoded; empty
     * when there is none}
     */
    public static List<String> of(String text) {
        Set<String> values = new LinkedHashSet<>();
        for (Span span : spans(text)) {
            String raw = text.substring(span.start(), span.end());
            if (raw.isEmpty()) {
                continue;
            }
            values.add(raw);
            values.add(SecretKeys.decoded(raw));
            // A query decoder reads '+' as a space.
            values.add(SecretKeys.decoded(raw.replace('+', ' ').replace("%2B", "+").replace("%2b", "+")));
        }
        values.remove("");
        return List.copyOf(values);
    }

    /** {@return the text with every secret it holds as a URL masked} */
    public static String masked(String text) {
        List<Span> spans = spans(text);
        if (spans.isEmpty()) {
            return text;
        }
        var out = new StringBuilder(text.length());
        int at = 0;
        for (Span span : spans) {
            out.append(text, at, span.start()).append(Secret.MASK);
            at = span.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    private static List<Span> spans(String text) {
        List<Span> spans = new ArrayList<>();
        int scheme = text.indexOf("://");
        if (scheme <= 0) {
            return spans;
        }
        int authority = scheme + 3;
        int queryFrom = authority;
        int userEnd = userInfoEnd(text, authority);
        if (userEnd >= 0) {
            int colon = text.indexOf(':', authority);
            if (colon >= 0 && colon < userEnd) {
                spans.add(new Span(colon + 1, userEnd));
            }
            queryFrom = userEnd + 1;
        }
        int query = firstOf(text, queryFrom, '?', ';');
        while (query >= 0 && query < text.length()) {
            int end = firstOf(text, query + 1, '&', ';');
            int stop = end < 0 ? text.length() : end;
            String pair = text.substring(query + 1, stop);
            int equals = pair.indexOf('=');
            if (equals > 0 && SECRET_PARAMETERS.contains(pair.substring(0, equals).strip().toLowerCase(Locale.ROOT))) {
                int hash = text.indexOf('#', query + 1 + equals + 1);
                int valueEnd = hash >= 0 && hash < stop ? hash : stop;
                spans.add(new Span(query + 1 + equals + 1, valueEnd));
            }
            query = end;
        }
        spans.sort((a, b) -> Integer.compare(a.start(), b.start()));
        return spans;
    }

    /**
     * {@return where the user info ends: the first '@' after which come hosts, a path without '@'
     * and a query — so a password may hold '@' and '/' — or -1 when the URL has none}
     */
    private static int userInfoEnd(String text, int authority) {
        int last = -1;
        for (int at = text.indexOf('@', authority); at >= 0; at = text.indexOf('@', at + 1)) {
            if (AFTER_USER_INFO.matcher(text).region(at + 1, text.length()).matches()) {
                return at;
            }
            last = at;
        }
        // No '@' is followed by a host: fall back to the last one before the query, if any.
        int question = text.indexOf('?', authority);
        return last >= 0 && (question < 0 || last < question) ? last : -1;
    }

    private static int firstOf(String text, int from, char a, char b) {
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == a || c == b) {
                return i;
            }
        }
        return -1;
    }
}
