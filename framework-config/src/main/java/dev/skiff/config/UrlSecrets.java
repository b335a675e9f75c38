package dev.skiff.config;

import dev.skiff.config.internal.UrlCredentials;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

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
 * is a smaller harm than showing part of a password. The reading is {@link UrlCredentials}', the
 * one the database module and the log redactor use too.
 */
final class UrlSecrets {

    private UrlSecrets() {}

    /**
     * {@return every secret in the text if it is a URL, each as written and percent-decoded; empty
     * when there is none}
     */
    public static List<String> of(String text) {
        Set<String> values = new LinkedHashSet<>();
        for (UrlCredentials.Span span : UrlCredentials.secrets(text)) {
            String raw = text.substring(span.start(), span.end());
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
        return UrlCredentials.masked(text);
    }
}
