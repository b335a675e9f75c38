package dev.skiff.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one reading of the credentials a URL carries, shared by the configuration's masking, the
 * database module's URL parser and the log redactor, so that the three cannot disagree about
 * where a password ends:
 *
 * <ul>
 *   <li>the password of its user info ({@code postgres://user:password@host/db}), which may hold
 *       '@', '/', '?', '#' and ';': the user info ends at the last '@' after which come hosts and
 *       a path, or else at the last '@' after which come hosts and the end, a query or a fragment,
 *       or else at the last '@';</li>
 *   <li>the user name alone of a URL that is not a database's or a broker's (a token sent as one,
 *       {@code https://ghp_x@host/});</li>
 *   <li>the values of parameters after {@code ?}, {@code &} or {@code ;} ({@code jdbc:} URLs, with
 *       or without {@code //}) named like secrets ({@link #secretParameter}).</li>
 * </ul>
 *
 * <p>Where a URL can be read two ways, every reading's secret counts, and a mask covers the
 * widest: showing too little of a URL is a smaller harm than showing part of a password.
 */
public final class UrlCredentials {

    /** What every masked secret is shown as. */
    public static final String MASK = "******";
    /**
     * The shortest value masked wherever it appears; a shorter one only where it stands as a
     * credential (a URL's password, a secret parameter), since masking it everywhere would blank
     * out ordinary words.
     */
    public static final int SHORTEST_SECRET = 4;

    /** A host list: names, IPv4, [IPv6], each with an optional port. */
    public static final Pattern HOSTS = Pattern.compile(
            "(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._%-]+)(?::\\d*)?(?:,(?:\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9._%-]+)(?::\\d*)?)*");
    /** The parameters that are a password whatever their words: the drivers' own names. */
    public static final Set<String> PASSWORD_PARAMETERS = Set.of("password", "sslpassword", "pwd", "passwd");

    /**
     * A word of a name's last part that names a secret or a list of them ({@code api-key},
     * {@code db-password}, {@code client-secrets}), or a word ending like one ({@code dbpassword});
     * not a word that only contains one ({@code keyspace}).
     */
    private static final Pattern SECRET_WORD =
            Pattern.compile("(?i)[a-z0-9]*(passwords?|passwd|secrets?|tokens?|keys?|credentials?)");
    /** Words that make a secret-sounding name a setting about secrets: {@code max-keys}, {@code token-ttl}. */
    private static final Set<String> ABOUT_SECRETS = Set.of("max", "min", "num", "count", "size", "length", "ttl",
            "timeout", "expiry", "expires", "lifetime", "url", "uri", "file", "path", "header", "name", "id");
    /** Schemes whose user name is a role, not a credential. */
    private static final Set<String> DATABASE_SCHEMES = Set.of("postgres", "postgresql", "mysql", "mariadb",
            "mongodb", "mongodb+srv", "redis", "rediss", "amqp", "amqps", "jdbc", "sqlserver", "oracle");

    /** A secret's place in a URL: [start, end). */
    public record Span(int start, int end) {}

    private UrlCredentials() {}

    /** {@return true when the last part of a key or parameter name names something secret, such as {@code api-token}} */
    public static boolean looksSecret(String name) {
        int dot = name.lastIndexOf('.');
        String[] words = (dot < 0 ? name : name.substring(dot + 1)).toLowerCase(Locale.ROOT).split("[-_]");
        boolean secret = false;
        for (String word : words) {
            if (ABOUT_SECRETS.contains(word)) {
                return false;
            }
            secret |= SECRET_WORD.matcher(word).matches();
        }
        return secret;
    }

    /** {@return whether a URL parameter's value is a secret: a password's name, or a name that looks secret} */
    public static boolean secretParameter(String name) {
        String lower = name.strip().toLowerCase(Locale.ROOT);
        return PASSWORD_PARAMETERS.contains(lower) || looksSecret(lower);
    }

    /** {@return where the authority of a URL begins (after {@code ://}, or after {@code jdbc:}), or -1 for a text that is not a URL} */
    public static int authority(String text) {
        int scheme = text.indexOf("://");
        if (scheme > 0) {
            return scheme + 3;
        }
        return text.regionMatches(true, 0, "jdbc:", 0, 5) ? 5 : -1;
    }

    /** {@return the places of every secret the text holds as a URL; empty when it is not one} */
    public static List<Span> secrets(String text) {
        List<Span> spans = new ArrayList<>();
        int authority = authority(text);
        if (authority < 0) {
            return spans;
        }
        boolean hierarchical = text.startsWith("://", authority - 3);
        int colon = hierarchical ? text.indexOf(':', authority) : -1;
        for (int end : userInfoEnds(text, authority)) {
            if (colon >= 0 && colon < end) {
                spans.add(new Span(colon + 1, end));
            } else if (!databaseScheme(text)) {
                // A user name alone is the credential of an http(s), ws(s) or git URL (a token sent
                // as one); of a database's or a broker's URL it is a role name, and no secret.
                spans.add(new Span(authority, end));
            }
        }
        // One pass from the end: where the next '&' and the next ';' are, for each position, so
        // that reading every parameter stays linear in the URL's length, whatever a client sent.
        int[] nextAmpersand = new int[text.length() + 1];
        int[] nextSemicolon = new int[text.length() + 1];
        nextAmpersand[text.length()] = text.length();
        nextSemicolon[text.length()] = text.length();
        for (int i = text.length() - 1; i >= authority; i--) {
            char c = text.charAt(i);
            nextAmpersand[i] = c == '&' ? i : nextAmpersand[i + 1];
            nextSemicolon[i] = c == ';' ? i : nextSemicolon[i + 1];
        }
        for (int i = authority; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '?' && c != '&' && c != ';') {
                continue;
            }
            // The parameter's name runs to its '=' or to the next separator, whichever comes first.
            int equals = -1;
            for (int j = i + 1; j < text.length(); j++) {
                char d = text.charAt(j);
                if (d == '=') {
                    equals = j;
                    break;
                }
                if (d == '?' || d == '&' || d == ';') {
                    break;
                }
            }
            if (equals < 0 || !secretParameter(text.substring(i + 1, equals))) {
                continue;
            }
            // Read both ways: a value ends at '&' (pgjdbc), or at ';' (drivers that separate with it).
            int ampersand = nextAmpersand[equals + 1 > text.length() ? text.length() : equals + 1];
            int semicolon = nextSemicolon[equals + 1 > text.length() ? text.length() : equals + 1];
            spans.add(new Span(equals + 1, ampersand));
            if (semicolon < ampersand) {
                spans.add(new Span(equals + 1, semicolon));
            }
            i = equals;
        }
        spans.removeIf(span -> span.end() <= span.start());
        return spans;
    }

    /** {@return the text with every secret it holds as a URL masked} */
    public static String masked(String text) {
        List<Span> spans = merged(secrets(text));
        if (spans.isEmpty()) {
            return text;
        }
        var out = new StringBuilder(text.length());
        int at = 0;
        for (Span span : spans) {
            out.append(text, at, span.start()).append(MASK);
            at = span.end();
        }
        return out.append(text, at, text.length()).toString();
    }

    /**
     * {@return where the user info may end: at the last '@' after which come hosts and a path, and
     * at the last '@' after which come hosts and the end, a query or a fragment; else at the last
     * '@'; empty when the URL has none}
     *
     * @param text the URL
     * @param authority where its authority begins
     */
    public static List<Integer> userInfoEnds(String text, int authority) {
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

    /** {@return where the user info ends for a parser that takes one reading: the first of {@link #userInfoEnds}, or -1} */
    public static int userInfoEnd(String text, int authority) {
        List<Integer> ends = userInfoEnds(text, authority);
        return ends.isEmpty() ? -1 : ends.getFirst();
    }

    private static boolean databaseScheme(String text) {
        int colon = text.indexOf(':');
        return colon > 0 && DATABASE_SCHEMES.contains(text.substring(0, colon).toLowerCase(Locale.ROOT));
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

}
