package dev.skiff.logging.internal;

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
 * <p>Masked: every known secret value (raw, URL-encoded and base64), the password in a URL's user
 * info, the values of {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and
 * {@code Set-Cookie}, bearer tokens, and matches of the configured patterns.
 */
public final class Redactor {

    /** What replaces a masked value. */
    public static final String MASK = "******";

    /** Secrets shorter than this would mask ordinary words; they are left to the other rules. */
    static final int MIN_SECRET_LENGTH = 4;

    private static final Pattern URL_PASSWORD = Pattern.compile("(://[^/\\s:@]*):([^/\\s@]+)@");
    /** An Authorization value: an optional scheme, then one credential token. */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)\\b((?:proxy-)?authorization)([\"']?\\s*[:=]\\s*[\"']?)((?:[A-Za-z]+\\s+)?[^\\s\"',;]+)");
    /** A Cookie value: everything to the end of the line or the closing quote. */
    private static final Pattern COOKIE = Pattern.compile(
            "(?i)\\b((?:set-)?cookie)([\"']?\\s*[:=]\\s*[\"']?)([^\"'\\r\\n]+)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer)\\s+[A-Za-z0-9._~+/=-]+");

    private final Supplier<? extends Collection<String>> secrets;
    private final List<Pattern> extra;
    private final int maxLength;
    private volatile Collection<String> lastSecrets;
    private volatile String[] literals = new String[0];

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

    /** {@return the text with everything secret masked and cut to the maximum length} */
    public String apply(String text) {
        return cap(redact(text));
    }

    /** {@return the text with everything secret masked} */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String literal : literals()) {
            if (out.contains(literal)) {
                out = out.replace(literal, MASK);
            }
        }
        if (out.indexOf("://") >= 0 && out.indexOf('@') >= 0) {
            out = URL_PASSWORD.matcher(out).replaceAll("$1:" + MASK + "@");
        }
        if (mentionsCredentials(out)) {
            out = AUTHORIZATION.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
            out = COOKIE.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + m.group(2) + MASK));
            out = BEARER.matcher(out).replaceAll("$1 " + MASK);
        }
        for (Pattern pattern : extra) {
            out = pattern.matcher(out).replaceAll(MASK);
        }
        return out;
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
            for (String secret : current) {
                if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
                    continue;
                }
                forms.add(secret);
                forms.add(URLEncoder.encode(secret, StandardCharsets.UTF_8));
                byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
                // Without padding, the URL-safe form is a prefix of the standard one when they
                // share their alphabet: masking it masks both.
                String urlSafe = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                String standard = Base64.getEncoder().withoutPadding().encodeToString(bytes);
                forms.add(urlSafe);
                forms.add(standard);
            }
            List<String> sorted = new ArrayList<>(forms);
            sorted.sort((a, b) -> Integer.compare(b.length(), a.length())); // longest first
            literals = sorted.toArray(String[]::new);
            lastSecrets = current;
        }
        return literals;
    }

    /**
     * A cheap scan before the header and bearer patterns run: the usual spellings, by the
     * vectorised {@code indexOf}.
     */
    private static boolean mentionsCredentials(String s) {
        return s.indexOf("uthorization") >= 0 || s.indexOf("UTHORIZATION") >= 0
                || s.indexOf("ookie") >= 0 || s.indexOf("OOKIE") >= 0
                || s.indexOf("earer") >= 0 || s.indexOf("EARER") >= 0;
    }
}
