package dev.skiff.config;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Skiff's one rule from configuration keys to environment variable names, and its aliases. */
final class EnvNames {

    /** Twelve-factor names that platforms set, mapped to the keys they stand for. */
    public static final Map<String, String> ALIASES = Map.of(
            "PORT", "http.port",
            "HOST", "http.host",
            "DATABASE_URL", "database.url",
            "LOG_LEVEL", "log.level",
            "LOG_FORMAT", "log.format",
            "GOOGLE_CLOUD_PROJECT", "log.gcp-project",
            "MANAGEMENT_PORT", "management.port");

    private EnvNames() {}

    /** {@return the env name of a key: upper case, {@code .} and {@code -} become {@code _}} */
    public static String of(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** {@return the name closest to {@code name} among {@code candidates}, if it is a likely typo} */
    public static Optional<String> closest(String name, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate.equals(name)) {
                return Optional.empty();
            }
            int distance = distance(name.toUpperCase(Locale.ROOT), candidate.toUpperCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // One edit in a short name, two in a longer one: HOME is not a typo of HOST.
        int allowed = name.length() <= 6 ? 1 : 2;
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** Optimal string alignment distance: edits, with a swap of neighbours counted as one. */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > 2) {
            return Integer.MAX_VALUE;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
