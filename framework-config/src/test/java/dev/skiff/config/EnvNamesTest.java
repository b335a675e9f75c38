package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EnvNamesTest {

    @Test
    void distanceIsTheAlignmentDistanceUpToTwoEdits() {
        var random = new SplittableRandom(11);
        String letters = "ABC_";
        for (int n = 0; n < 20_000; n++) {
            String a = word(random, letters, random.nextInt(9));
            // Near words as often as far ones: a copy with up to three random edits.
            String b = n % 2 == 0 ? word(random, letters, random.nextInt(9)) : edited(random, letters, a);
            int full = fullMatrix(a, b);
            assertThat(EnvNames.distance(a, b)).as("%s / %s", a, b).isEqualTo(full <= 2 ? full : Integer.MAX_VALUE);
        }
    }

    @Test
    void closestFindsLikelyTypos() {
        List<String> known = List.of("DATABASE_URL", "PORT", "LOG_LEVEL", "SHUTDOWN_TIMEOUT");
        assertThat(EnvNames.closest("DATABSE_URL", known)).contains("DATABASE_URL");
        assertThat(EnvNames.closest("DATBASE_UR", known)).contains("DATABASE_URL");
        assertThat(EnvNames.closest("shutdown_timout", known)).contains("SHUTDOWN_TIMEOUT");
        assertThat(EnvNames.closest("PROT", known)).contains("PORT");
        assertThat(EnvNames.closest("HOST", List.of("HOME"))).isEmpty();
        assertThat(EnvNames.closest("DBASE_UR", known)).isEmpty();
        assertThat(EnvNames.closest("PORT", known)).isEmpty();
    }

    private static String word(SplittableRandom random, String letters, int length) {
        var out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            out.append(letters.charAt(random.nextInt(letters.length())));
        }
        return out.toString();
    }

    private static String edited(SplittableRandom random, String letters, String word) {
        var out = new StringBuilder(word);
        for (int edits = random.nextInt(4); edits > 0; edits--) {
            int at = out.isEmpty() ? 0 : random.nextInt(out.length());
            switch (random.nextInt(4)) {
                case 0 -> out.insert(at, letters.charAt(random.nextInt(letters.length())));
                case 1 -> { if (!out.isEmpty()) out.deleteCharAt(at); }
                case 2 -> { if (!out.isEmpty()) out.setCharAt(at, letters.charAt(random.nextInt(letters.length()))); }
                default -> {
                    if (at + 1 < out.length()) {
                        char c = out.charAt(at);
                        out.setCharAt(at, out.charAt(at + 1));
                        out.setCharAt(at + 1, c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** The whole matrix, as written before: the reference. */
    private static int fullMatrix(String a, String b) {
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
