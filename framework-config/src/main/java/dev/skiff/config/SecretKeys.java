package dev.skiff.config;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Which keys and values are masked in every dump and report. */
final class SecretKeys {

    /**
     * A word of a key's last part that names a secret or a list of them ({@code api-key},
     * {@code db-password}, {@code client-secrets}), or a word ending like one ({@code dbpassword});
     * not a word that only contains one ({@code keyspace}).
     */
    private static final Pattern SECRET_WORD =
            Pattern.compile("(?i)[a-z0-9]*(passwords?|passwd|secrets?|tokens?|keys?|credentials?)");
    /** Words that make a secret-sounding key a setting about secrets: {@code max-keys}, {@code token-ttl}. */
    private static final Set<String> ABOUT_SECRETS = Set.of("max", "min", "num", "count", "size", "length", "ttl",
            "timeout", "expiry", "expires", "lifetime", "url", "uri", "file", "path", "header", "name", "id");

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
        return value.length() >= 4 && !SWITCH.matcher(value).matches();
    }

    /** {@return true when an environment variable's name says its value is secret} */
    static boolean namesSecret(String variable) {
        return SECRET_VARIABLE.matcher(variable).matches();
    }

    /** {@return true when the last part of the key names something secret, such as {@code api-token}} */
    static boolean looksSecret(String key) {
        int dot = key.lastIndexOf('.');
        String[] words = (dot < 0 ? key : key.substring(dot + 1)).toLowerCase(Locale.ROOT).split("[-_]");
        boolean secret = false;
        for (String word : words) {
            if (ABOUT_SECRETS.contains(word)) {
                return false;
            }
            secret |= SECRET_WORD.matcher(word).matches();
        }
        return secret;
    }

    /** {@return the value as it may be shown for this key: masked when secret, a URL's secrets masked} */
    public static String display(String key, String value) {
        return looksSecret(key) ? Secret.MASK : UrlSecrets.masked(value);
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
