package dev.skiff.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The secrets a URL carries, and the URL with them masked: the password of its user info
 * ({@code postgres://user:password@host/db}, with any characters in it, '@', '/', '?', '#' and
 * ';' included), the user name with no password of a URL that is not a database's or a
 * broker's (a token sent as one, {@code https://ghp_x@host/}, {@code wss://t@host/}),
 * and the values of parameters after {@code ?}, {@code &} or {@code ;} ({@code jdbc:} URLs, with or
 * without {@code //}) named like secrets: {@code password}, {@code pwd}, {@code passwd}, and any
 * whose name ends in password, secret, token, key or credential ({@code apikey},
 * {@code access_token}, {@code sslpassword}).
 *
 * <p>Where a URL can be read two ways — an '@' in a password or in a query parameter — every
 * reading's password is a secret, and the mask covers the widest: showing too little of a URL
 * is a smaller harm than showing part of a password.
 */
final class UrlSecrets {

    /** A host list: names, IPv4, [IPv6], each with an optional port. */
    private static final Pattern HOSTS = Pattern.compile(
            "(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._%-]+)(?::\\d*)?(?:,(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._%-]+)(?::\\d*)?)*");
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
        List<Span> spans = merged(spans(text));
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

    /** Schemes whose user name is a role, not a credential. */
    private static final Set<String> DATABASE_SCHEMES = Set.of("postgres", "postgresql", "mysql", "mariadb",
            "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps", "jdbc", "sqlserver", "oracle");

    private static boolean databaseScheme(String text) {
        int colon = text.indexOf(':');
        return colon > 0 && DATABASE_SCHEMES.contains(text.substring(0, colon).toLowerCase(Locale.ROOT));
    }

    private static List<Span> spans(String text) {
        List<Span> spans = new ArrayList<>();
        boolean jdbc = text.regionMatches(true, 0, "jdbc:", 0, 5);
        int scheme = text.indexOf("://");
        if (scheme <= 0 && !jdbc) {
            return spans;
        }
        int authority = scheme > 0 ? scheme + 3 : 5;
        int colon = scheme > 0 ? text.indexOf(':', authority) : -1;
        for (int end : userInfoEnds(text, authority)) {
            if (colon >= 0 && colon < end) {
                spans.add(new Span(colon + 1, end));
            } else if (!databaseScheme(text)) {
                // A user name alone is the credential of an http(s), ws(s) or git URL (a token sent
                // as one); of a database's or a broker's URL it is a role name, and no secret.
                spans.add(new Span(authority, end));
            }
        }
        for (int i = authority; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '?' && c != '&' && c != ';') {
                continue;
            }
            int equals = text.indexOf('=', i + 1);
            if (equals < 0) {
                break;
            }
            String name = text.substring(i + 1, equals).strip().toLowerCase(Locale.ROOT);
            if (!SECRET_PARAMETERS.contains(name) && !SecretKeys.looksSecret(name)) {
                continue;
            }
            // Read both ways: a value ends at '&' (pgjdbc), or at ';' (drivers that separate with it).
            int ampersand = indexOf(text, equals + 1, '&');
            int semicolon = indexOf(text, equals + 1, ';');
            spans.add(new Span(equals + 1, ampersand));
            if (semicolon < ampersand) {
                spans.add(new Span(equals + 1, semicolon));
            }
        }
        return spans;
    }

    /**
     * {@return where the user info may end: at the last '@' after which come hosts and a path, and
     * at the last '@' after which come hosts and the end, a query or a fragment — so a password may
     * hold '@', '/', '?', '#' and ';'; empty when the URL has none}
     */
    private static List<Integer> userInfoEnds(String text, int authority) {
        int beforePath = -1;
        int beforeRest = -1;
        for (int at = text.indexOf('@', authority); at >= 0; at = text.indexOf('@', at + 1)) {
            var hosts = HOSTS.matcher(text).region(at + 1, text.length());
            if (!hosts.lookingAt()) {
                continue;
            }
            int after = hosts.end();
            char next = after == text.length() ? '?' : text.charAt(after);
            if (next == '/') {
                beforePath = at;
            } else if (next == '?' || next == '#') {
                beforeRest = at;
            }
        }
        List<Integer> ends = new ArrayList<>();
        if (beforePath >= 0) {
            ends.add(beforePath);
        }
        if (beforeRest >= 0) {
            ends.add(beforeRest);
        }
        if (ends.isEmpty()) {
            int last = text.lastIndexOf('@');
            if (last >= authority) {
                ends.add(last);
            }
        }
        return ends;
    }

    private static List<Span> merged(List<Span> spans) {
        List<Span> sorted = new ArrayList<>(spans);
        sorted.sort((a, b) -> Integer.compare(a.start(), b.start()));
        List<Span> out = new ArrayList<>();
        for (Span span : sorted) {
            if (!out.isEmpty() && span.start() <= out.getLast().end()) {
                Span last = out.removeLast();
                out.add(new Span(last.start(), Math.max(last.end(), span.end())));
            } else {
                out.add(span);
            }
        }
        return out;
    }

    private static int indexOf(String text, int from, char c) {
        int found = text.indexOf(c, from);
        return found < 0 ? text.length() : found;
    }
}
