package dev.skiff.config;

import dev.skiff.config.internal.UrlCredentials;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** Which keys and values are masked in every dump and report. */
final class SecretKeys {

    /** A variable whose last word ends like a secret's name: {@code NOTES_API_TOKEN}, {@code AWS_SECRET_ACCESS_KEY}. */
    private static final Pattern SECRET_VARIABLE =
            Pattern.compile("(?i)(.*_)?[a-z0-9]*(password|passwd|secret|token|key|credentials?)");

    private static final Pattern SWITCH = Pattern.compile("(?i)true|false|yes|no|on|off|enabled|disabled");

    private SecretKeys() {}

    /**
     * {@return whether a value found by its name could be a secret: not a switch or anything shorter
     * than four characters ({@code USE_TOKEN=true}, {@code feature.use-key = on}, {@code X_KEY=8}),
     * which masked would blank out ordinary words in every log line and unrelated settings}
     */
    static boolean couldBeSecret(String value) {
        return value.length() >= UrlCredentials.SHORTEST_SECRET && !SWITCH.matcher(value).matches();
    }

    /** {@return true when an environment variable's name says its value is secret} */
    static boolean namesSecret(String variable) {
        return SECRET_VARIABLE.matcher(variable).matches();
    }

    /** {@return true when the last part of the key names something secret, such as {@code api-token}} */
    static boolean looksSecret(String key) {
        return UrlCredentials.looksSecret(key);
    }

    /**
     * {@return the value as it may be shown for this key: masked when secret, a URL's secrets
     * masked} A switch ({@code true}, {@code off}) under a key that names a secret
     * ({@code allow-credentials}) is no secret, and shows.
     */
    public static String display(String key, String value) {
        return looksSecret(key) && !SWITCH.matcher(value.strip()).matches() ? Secret.MASK : UrlSecrets.masked(value);
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
