package dev.skiff.lifecycle.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StopSequenceTest {

    @Test
    void aShareIsWhatDurationDividedByGives() {
        List<Duration> spans = new ArrayList<>(List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofNanos(999_999_999),
                Duration.ofSeconds(1), Duration.ofMillis(1_999), Duration.ofSeconds(30), Duration.ofDays(365 * 1000L),
                Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), Duration.ofNanos(-1), Duration.ofMillis(-2_500),
                Duration.ofSeconds(Long.MIN_VALUE + 1)));
        var random = new SplittableRandom(5);
        for (int i = 0; i < 2_000; i++) {
            spans.add(Duration.ofSeconds(random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L), random.nextInt(1_000_000_000)));
        }
        for (Duration span : spans) {
            for (int parts : new int[] {1, 2, 3, 4, 5, 7, 1000}) {
                assertThat(StopSequence.share(span, parts)).as("%s / %d", span, parts).isEqualTo(span.dividedBy(parts));
            }
        }
    }

    @Test
    void sharesAreFromOneToAThousand() {
        assertThatThrownBy(() -> StopSequence.share(Duration.ofSeconds(1), 0)).hasMessageContaining("not 0");
        assertThatThrownBy(() -> StopSequence.share(Duration.ofSeconds(1), 1001)).hasMessageContaining("not 1001");
    }
}
