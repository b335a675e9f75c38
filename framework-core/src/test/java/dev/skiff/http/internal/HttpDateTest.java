package dev.skiff.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.undertow.util.DateUtils;
import java.util.Date;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Date header Skiff writes is the one Undertow would have written. */
class HttpDateTest {

    @Test
    void everySecondIsWrittenAsUndertowWritesIt() {
        long[] edges = {0, 59, 60, 3_599, 3_600, 86_399, 86_400, 951_782_400 /* 2000-02-29 */, 951_868_799,
                978_307_199 /* 2000-12-31 23:59:59 */, 1_709_164_800 /* 2024-02-29 */, 4_102_444_800L /* 2100-01-01 */,
                253_402_300_799L /* 9999-12-31 23:59:59 */};
        for (long second : edges) {
            assertThat(HttpDate.format(second)).as("second %d", second).isEqualTo(undertows(second));
        }
        var random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            long second = Math.floorMod(random.nextLong(), 253_402_300_800L);
            assertThat(HttpDate.format(second)).as("second %d", second).isEqualTo(undertows(second));
        }
    }

    @Test
    void nowIsTheCurrentSecond() {
        long before = Math.floorDiv(System.currentTimeMillis(), 1000);
        String now = HttpDate.now();
        long after = Math.floorDiv(System.currentTimeMillis(), 1000);
        assertThat(now).isIn(HttpDate.format(before), HttpDate.format(after));
        assertThat(now).matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
    }

    private static String undertows(long second) {
        return DateUtils.toDateString(new Date(second * 1000));
    }
}
