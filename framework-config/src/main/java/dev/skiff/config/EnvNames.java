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

    /** The most edits a likely typo has: one in a short name, two in a longer one. */
    private static final int MOST_EDITS = 2;

    /** {@return the name closest to {@code name} among {@code candidates}, if it is a likely typo} */
    public static Optional<String> closest(String name, Collection<String> candidates) {
        String upper = name.toUpperCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (candidate.equals(name)) {
                return Optional.empty();
            }
            int distance = distance(upper, candidate.toUpperCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        // One edit in a short name, two in a longer one: HOME is not a typo of HOST.
        int allowed = name.length() <= 6 ? 1 : MOST_EDITS;
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /**
     * {@return the optimal string alignment distance of two names (edits, a swap of neighbours
     * counted as one) when it is at most two, else {@link Integer#MAX_VALUE}}
     *
     * <p>Every variable set is compared with every name that sets a key at each start: three rows
     * rather than a matrix, and given up on as soon as a row has nothing within two edits (a row's
     * least value never falls in the next), so most pairs cost a row or two.
     */
    static int distance(String a, String b) {
        if (Math.abs(a.length() - b.length()) > MOST_EDITS) {
            return Integer.MAX_VALUE;
        }
        int[] twoBack = new int[b.length() + 1];
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            int least = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int d = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d = Math.min(d, twoBack[j - 2] + 1);
                }
                current[j] = d;
                least = Math.min(least, d);
            }
            if (least > MOST_EDITS) {
                return Integer.MAX_VALUE;
            }
            int[] reused = twoBack;
            twoBack = previous;
            previous = current;
            current = reused;
        }
        int distance = previous[b.length()];
        return distance <= MOST_EDITS ? distance : Integer.MAX_VALUE;
    }
}
