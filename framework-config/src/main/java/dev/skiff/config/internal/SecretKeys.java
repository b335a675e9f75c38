package dev.skiff.config.internal;

import dev.skiff.config.Secret;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/** Which keys and values are masked in every dump and report. */
public final class SecretKeys {

    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|key|credential).*");
    private static final Pattern URL_WITH_PASSWORD = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://[^/@\\s]*:[^/@\\s]*@.*");

    private SecretKeys() {}

    /** {@return true when the last part of the key names something secret, such as {@code api-token}} */
    public static boolean looksSecret(String key) {
        int dot = key.lastIndexOf('.');
        return SECRET_NAME.matcher(dot < 0 ? key : key.substring(dot + 1)).matches();
    }

    /** {@return the password in a URL's user info, such as the one in {@code postgres://u:p@h/db}} */
    public static Optional<String> urlPassword(String value) {
        if (!URL_WITH_PASSWORD.matcher(value).matches()) {
            return Optional.empty();
        }
        int scheme = value.indexOf("://") + 3;
        int at = value.indexOf('@', scheme);
        int colon = value.indexOf(':', scheme);
        if (colon < 0 || colon > at) {
            return Optional.empty();
        }
        String password = value.substring(colon + 1, at);
        return password.isEmpty() ? Optional.empty() : Optional.of(password);
    }

    /** {@return the value as it may be shown for this key: masked when secret, URL passwords masked} */
    public static String display(String key, String value) {
        if (looksSecret(key)) {
            return Secret.MASK;
        }
        Optional<String> password = urlPassword(value);
        if (password.isPresent()) {
            int scheme = value.indexOf("://") + 3;
            int colon = value.indexOf(':', scheme);
            int at = value.indexOf('@', scheme);
            return value.substring(0, colon + 1) + Secret.MASK + value.substring(at);
        }
        return value;
    }

    /** {@return a percent-encoded URL part decoded, or as it is when it is not valid encoding} */
    public static String decoded(String part) {
        try {
            return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return part;
        }
    }
}
