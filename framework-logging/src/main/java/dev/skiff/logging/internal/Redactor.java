package dev.skiff.logging.internal;

import dev.skiff.config.internal.UrlCredentials;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what must not leave the process, and cuts what is too long, in one string at a time.
 *
 * <p>Masked: every known secret value — as written, URL-encoded, JSON-escaped, in hex, and in
 * base64 at any alignment (so inside the base64 of {@code user:password} too); a secret shorter
 * than four characters only where it stands as a word of its own — a URL's credentials as
 * {@link UrlCredentials} reads them (the password in its user info, which may hold {@code @} and
 * {@code /}; the user name alone of a URL that is not a database's; parameters named like
 * secrets), {@code password=} parameters of connection strings, the values of
 * {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and {@code Set-Cookie}
 * (also as Undertow prints headers: {@code Authorization=[Bearer …]}), bearer tokens, Basic
 * credentials, and matches of the configured patterns.
 */
public final class Redactor {

    /** What replaces a masked value. */
    public static final String MASK = UrlCredentials.MASK;

    /** Secrets shorter than this would mask parts of ordinary words; they are masked only as words of their own. */
    static final int MIN_SECRET_LENGTH = UrlCredentials.SHORTEST_SECRET;

    /**
     * A password parameter of a connection string outside a URL ({@code Server=db;Password=…}), up
     * to '&': a ';' may be part of it. Its names are the URLs' password parameters.
     */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)([?&;\\s]|^)("
            + String.join("|", UrlCredentials.PASSWORD_PARAMETERS) + ")=([^&\\s\"'\\]}]+)");
    /** An Authorization value: an optional scheme, then one credential token; '[' as Undertow prints headers. */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)\\b((?:proxy-)?authorization)([\"']?\\s*[:=]\\s*\\[?[\"']?)((?:[A-Za-z]+\\s+)?[^\\s\"',;\\]]+)");
    /** A Cookie value: everything to the end of the line or the closing quote. */
    private static final Pattern COOKIE = Pattern.compile(
            "(?i)\\b((?:set-)?cookie)([\"']?\\s*[:=]\\s*[\"']?)([^\"'\\r\\n]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]+");
    /** Basic credentials: base64 of user:password, masked only when it decodes to that. */
    private static final Pattern BASIC = Pattern.compile("(?i)\\b(basic)\\s+([A-Za-z0-9+/]{4,}={0,2})");

    private final Supplier<? extends Collection<String>> secrets;
    private final List<Pattern> extra;
    private final int maxLength;
    private volatile Collection<String> lastSecrets;
    private volatile String[] literals = new String[0];
    /**
     * The first two characters of every literal (their low bytes), as bits: one pass over a text
     * tells whether any literal can start in it, so most strings skip the scan for each of the
     * dozens of forms every secret has. Written before {@link #literals}, read after it.
     */
    private volatile long[] literalStarts = new long[1024];
    private volatile Pattern shortSecrets;
    /** Field names already redacted, for the secrets of the time: names repeat in every event. */
    private volatile KeyCache keys = new KeyCache(null);

    private record KeyCache(String[] forLiterals, java.util.Map<String, String> masked) {
        KeyCache(String[] forLiterals) {
            this(forLiterals, new java.util.concurrent.ConcurrentHashMap<>());
        }
    }

    /** How many distinct field names are remembered; past it, names are redacted each time. */
    private static final int MOST_KEYS = 1024;

    /**
     * Creates a redactor.
     *
     * @param secrets the current secret values; asked on every call, so it should return the same
     *     collection until the secrets change
     * @param extra patterns whose matches are masked
     * @param maxLength the longest a string may be after masking
     */
    public Redactor(Supplier<? extends Collection<String>> secrets, List<Pattern> extra, int maxLength) {
        this.secrets = secrets;
        this.extra = List.copyOf(extra);
        this.maxLength = maxLength;
    }

    /** {@return whether {@code log.redact} patterns are set: they mask whatever they match, in every string} */
    public boolean hasPatterns() {
        return !extra.isEmpty();
    }

    /** {@return the text with everything secret masked and cut to the maximum length} */
    public String apply(String text) {
        return cap(redact(text));
    }

    /**
     * {@return a field name with everything secret masked}: the same as {@link #redact}, remembered
     * for the names events repeat, so the keys of every event are not scanned again and again
     */
    public String redactKey(String name) {
        String[] current = literals();
        KeyCache cache = keys;
        if (cache.forLiterals() != current) {
            cache = new KeyCache(current);
            keys = cache;
        }
        String masked = cache.masked().get(name);
        if (masked == null) {
            masked = redact(name);
            if (cache.masked().size() < MOST_KEYS) {
                cache.masked().put(name, masked);
            }
        }
        return masked;
    }

    /** {@return the text with everything secret masked} */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        String[] current = literals();
        if (current.length > 0 && mayContainLiteral(out)) {
            for (String literal : current) {
                if (out.contains(literal)) {
                    out = out.replace(literal, MASK);
                }
            }
        }
        Pattern words = shortSecrets;
        if (words != null) {
            out = words.matcher(out).replaceAll(MASK);
        }
        if (out.indexOf("://") >= 0) {
            out = maskUrls(out);
        }
        if (mentionsPassword(out)) {
            out = PASSWORD_PARAMETER.matcher(out).replaceAll("$1$2=" + MASK);
        }
        if (mentionsCredentials(out)) {
            out = AUTHORIZATION.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
            out = COOKIE.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
            out = BEARER.matcher(out).replaceAll("$1 " + MASK);
            out = BASIC.matcher(out).replaceAll(m -> Matcher.quoteReplacement(
                    isCredentials(m.group(2)) ? m.group(1) + " " + MASK : m.group()));
        }
        for (Pattern pattern : extra) {
            out = pattern.matcher(out).replaceAll(MASK);
        }
        return out;
    }

    /**
     * {@return the text with the credentials of every URL in it masked}: a URL is its scheme,
     * {@code ://} and everything to the next white space, its credentials read by
     * {@link UrlCredentials} as the configuration and the database module read them. Found by
     * {@code indexOf}, not a pattern: linear in the text, whatever a client put in it.
     */
    static String maskUrls(String text) {
        var out = new StringBuilder(text.length());
        int copied = 0;
        int searchFrom = 0;
        for (int colon = text.indexOf("://"); colon >= 0; colon = text.indexOf("://", searchFrom)) {
            int start = colon;
            while (start > copied && isSchemeChar(text.charAt(start - 1))) {
                start--;
            }
            while (start < colon && !Character.isLetter(text.charAt(start))) {
                start++; // a scheme begins with a letter
            }
            int end = colon + 3;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            if (start < colon) {
                out.append(text, copied, start).append(UrlCredentials.masked(text.substring(start, end)));
                copied = end;
            }
            searchFrom = end;
        }
        return copied == 0 ? text : out.append(text, copied, text.length()).toString();
    }

    private static boolean isSchemeChar(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '.' || c == '-';
    }

    /** {@return whether base64 text decodes to {@code user:password}} */
    private static boolean isCredentials(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8).indexOf(':') > 0;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    /** {@return the text cut to the maximum length, saying how much was cut} */
    public String cap(String text) {
        String out = text;
        if (out != null && out.length() > maxLength) {
            int cut = out.length() - maxLength;
            int end = maxLength;
            if (Character.isHighSurrogate(out.charAt(end - 1))) {
                end--;
            }
            out = out.substring(0, end) + "…[" + (cut + maxLength - end) + " characters cut]";
        }
        return out;
    }

    private String[] literals() {
        Collection<String> current = secrets.get();
        if (current != lastSecrets) {
            Set<String> forms = new LinkedHashSet<>();
            List<String> shortOnes = new ArrayList<>();
            for (String secret : current) {
                if (secret == null || secret.isEmpty()) {
                    continue;
                }
                if (secret.length() < MIN_SECRET_LENGTH) {
                    shortOnes.add(Pattern.quote(secret));
                    continue;
                }
                forms.addAll(forms(secret));
            }
            List<String> sorted = new ArrayList<>(forms);
            sorted.sort((a, b) -> Integer.compare(b.length(), a.length())); // longest first
            var starts = new long[1024]; // a bit for each pair of chars a literal starts with
            for (String literal : sorted) {
                int pair = literal.charAt(0) << 8 & 0xFF00 | literal.charAt(1) & 0xFF;
                starts[pair >>> 6] |= 1L << pair;
            }
            literalStarts = starts;
            literals = sorted.toArray(String[]::new);
            // Too short to mask inside other words without masking ordinary text: only alone.
            shortSecrets = shortOnes.isEmpty() ? null
                    : Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + String.join("|", shortOnes) + ")(?![\\p{L}\\p{N}])");
            lastSecrets = current;
        }
        return literals;
    }

    /** {@return the ways a secret may be written into a line: raw, URL-encoded, JSON-escaped, hex, base64} */
    static Set<String> forms(String secret) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(secret);
        forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
        forms.add(jsonEscaped(secret));
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        String hex = java.util.HexFormat.of().formatHex(bytes);
        forms.add(hex);
        forms.add(hex.toUpperCase(java.util.Locale.ROOT));
        // Without padding, the URL-safe form is a prefix of the standard one when they share their
        // alphabet: masking it masks both.
        forms.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
        // Base64 at each of the three alignments a secret can have inside longer encoded text (such
        // as "user:password"): the characters that only the secret's bits determine.
        for (int shift = 0; shift < 3; shift++) {
            byte[] shifted = new byte[shift + bytes.length];
            System.arraycopy(bytes, 0, shifted, shift, bytes.length);
            String standard = Base64.getEncoder().withoutPadding().encodeToString(shifted);
            int from = (shift * 8 + 5) / 6;
            int to = (shifted.length * 8) / 6;
            if (to - from >= MIN_SECRET_LENGTH) {
                String core = standard.substring(from, to);
                forms.add(core);
                forms.add(core.replace('+', '-').replace('/', '_'));
            }
        }
        return forms;
    }

    private static String jsonEscaped(String text) {
        var out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** {@return whether a literal may start somewhere in the text: false means none is in it} */
    private boolean mayContainLiteral(String text) {
        long[] starts = literalStarts;
        for (int i = 0; i + 1 < text.length(); i++) {
            int pair = text.charAt(i) << 8 & 0xFF00 | text.charAt(i + 1) & 0xFF;
            if ((starts[pair >>> 6] & 1L << pair) != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentionsPassword(String s) {
        return s.indexOf('=') >= 0 && (s.indexOf("ass") >= 0 || s.indexOf("ASS") >= 0 || s.indexOf("wd") >= 0
                || s.indexOf("WD") >= 0 || s.indexOf("Ass") >= 0 || s.indexOf("Wd") >= 0);
    }

    /**
     * A cheap scan before the header and bearer patterns run: the usual spellings, by the
     * vectorised {@code indexOf}.
     */
    private static boolean mentionsCredentials(String s) {
        return s.indexOf("uthorization") >= 0 || s.indexOf("UTHORIZATION") >= 0
                || s.indexOf("ookie") >= 0 || s.indexOf("OOKIE") >= 0
                || s.indexOf("earer") >= 0 || s.indexOf("EARER") >= 0
                || s.indexOf("asic") >= 0 || s.indexOf("ASIC") >= 0;
    }
}
