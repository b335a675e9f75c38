package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Binding: every supported type, from files and from the environment. */
class BindingTest {

    enum Mode { OPEN, CLOSED, HALF_OPEN }

    record Everything(String text, int count, Integer boxedCount, long big, Long boxedBig, double ratio,
                      Double boxedRatio, boolean flag, Boolean boxedFlag, Mode mode, Duration timeout,
                      ByteSize maxBody, URI endpoint, Path dataDir, List<String> names, List<Integer> numbers,
                      Map<String, String> labels, Optional<String> missing, Optional<Integer> present,
                      Secret password, Nested nested) {}

    record Nested(String inner, Optional<Nested> deeper) {}

    record Shop(String name, int maxItems, Duration timeout, Mode mode, List<String> tags, boolean enabled) {}

    @TempDir
    Path dir;

    private static Map<String, String> everythingFromEnv() {
        return Map.ofEntries(
                Map.entry("ALL_TEXT", "hello"),
                Map.entry("ALL_COUNT", "42"),
                Map.entry("ALL_BOXED_COUNT", "-7"),
                Map.entry("ALL_BIG", "9000000000"),
                Map.entry("ALL_BOXED_BIG", "1_000"),
                Map.entry("ALL_RATIO", "0.25"),
                Map.entry("ALL_BOXED_RATIO", "1e3"),
                Map.entry("ALL_FLAG", "yes"),
                Map.entry("ALL_BOXED_FLAG", "OFF"),
                Map.entry("ALL_MODE", "half-open"),
                Map.entry("ALL_TIMEOUT", "PT1M30S"),
                Map.entry("ALL_MAX_BODY", "10MiB"),
                Map.entry("ALL_ENDPOINT", "https://example.com/api"),
                Map.entry("ALL_DATA_DIR", "/var/data"),
                Map.entry("ALL_NAMES", "a, b ,c"),
                Map.entry("ALL_NUMBERS", "1,2,3"),
                Map.entry("ALL_LABELS", "team=core, tier=1"),
                Map.entry("ALL_PRESENT", "5"),
                Map.entry("ALL_PASSWORD", "hunter2"),
                Map.entry("ALL_NESTED_INNER", "in"),
                Map.entry("ALL_NESTED_DEEPER_INNER", "deep"));
    }

    @Test
    void bindsEveryTypeFromTheEnvironment() {
        Everything all = Configuration.load(everythingFromEnv(), Map.of(), dir).bind("all", Everything.class);

        assertThat(all.text()).isEqualTo("hello");
        assertThat(all.count()).isEqualTo(42);
        assertThat(all.boxedCount()).isEqualTo(-7);
        assertThat(all.big()).isEqualTo(9_000_000_000L);
        assertThat(all.boxedBig()).isEqualTo(1000L);
        assertThat(all.ratio()).isEqualTo(0.25);
        assertThat(all.boxedRatio()).isEqualTo(1000.0);
        assertThat(all.flag()).isTrue();
        assertThat(all.boxedFlag()).isFalse();
        assertThat(all.mode()).isEqualTo(Mode.HALF_OPEN);
        assertThat(all.timeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(all.maxBody()).isEqualTo(ByteSize.ofBytes(10 * 1024 * 1024));
        assertThat(all.endpoint()).isEqualTo(URI.create("https://example.com/api"));
        assertThat(all.dataDir()).isEqualTo(Path.of("/var/data"));
        assertThat(all.names()).containsExactly("a", "b", "c");
        assertThat(all.numbers()).containsExactly(1, 2, 3);
        assertThat(all.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("team", "core", "tier", "1"));
        assertThat(all.missing()).isEmpty();
        assertThat(all.present()).contains(5);
        assertThat(all.password().reveal()).isEqualTo("hunter2");
        assertThat(all.nested()).isEqualTo(new Nested("in", Optional.of(new Nested("deep", Optional.empty()))));
    }

    @Test
    void bindsListsAndMapsFromFilesAndKebabKeysToCamelComponents() {
        record Limits(Map<String, String> labels) {}

        Configuration config = Configuration.load(Map.of(), Map.of(), dir);

        assertThat(config.bind("shop", Shop.class)).isEqualTo(
                new Shop("corner shop", 10, Duration.ofSeconds(30), Mode.OPEN, List.of("a", "b"), true));
        assertThat(config.bind("limits", Limits.class).labels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("team", "core", "tier", "1"));
    }

    @Test
    void aListFromTheEnvironmentSplitsOnCommasOrIsAJsonArrayWhenItsItemsHoldCommas() {
        record Patterns(List<String> redact) {}

        assertThat(Configuration.load(Map.of("P_REDACT", "a, b"), Map.of(), dir).bind("p", Patterns.class).redact())
                .containsExactly("a", "b");
        assertThat(Configuration.load(Map.of("P_REDACT", "[\"\\\\d{2,4}\", \"x,y\"]"), Map.of(), dir)
                .bind("p", Patterns.class).redact()).containsExactly("\\d{2,4}", "x,y");
        assertThat(Configuration.load(Map.of("P_REDACT", "[0-9]"), Map.of(), dir).bind("p", Patterns.class).redact())
                .as("brackets without a quoted item are a pattern, not an array").containsExactly("[0-9]");
        for (String notJson : new String[] {"[\"a\", ${HOME}]", "[\"a\" \"b\"]", "[\"a\", b]", "[\"a\", null]"}) {
            assertThatThrownBy(() -> Configuration.load(Map.of("P_REDACT", notJson), Map.of(), dir).bind("p", Patterns.class))
                    .as(notJson).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("a list in brackets must be a JSON array of quoted items");
        }
        assertThatThrownBy(() -> Configuration.load(Map.of("P_REDACT", "[\"unclosed]"), Map.of(), dir)
                .bind("p", Patterns.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("a list in brackets must be a JSON array of quoted items");
    }

    @Test
    void durationsAndSizesTakeTheirUsualSpellings() {
        record Timing(Duration a, Duration b, Duration c, Duration d, ByteSize e, ByteSize f, ByteSize g, ByteSize h) {}

        Timing t = Configuration.load(Map.of("T_A", "250ms", "T_B", "30s", "T_C", "5m", "T_D", "PT2H",
                "T_E", "512KiB", "T_F", "10MB", "T_G", "1G", "T_H", "100"), Map.of(), dir).bind("t", Timing.class);

        assertThat(t).isEqualTo(new Timing(Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMinutes(5),
                Duration.ofHours(2), ByteSize.ofBytes(512 * 1024), ByteSize.ofBytes(10_000_000),
                ByteSize.ofBytes(1024L * 1024 * 1024), ByteSize.ofBytes(100)));
        assertThat(ByteSize.ofBytes(10 * 1024 * 1024)).hasToString("10MiB");
    }

    @Test
    void enumsIgnoreCase() {
        record M(Mode mode) {}

        assertThat(Configuration.load(Map.of("M_MODE", "CLOSED"), Map.of(), dir).bind("m", M.class).mode())
                .isEqualTo(Mode.CLOSED);
        assertThat(Configuration.load(Map.of("M_MODE", "Half_Open"), Map.of(), dir).bind("m", M.class).mode())
                .isEqualTo(Mode.HALF_OPEN);
    }

    @Test
    void aSecretNeverPrintsItsValue() {
        Everything all = Configuration.load(everythingFromEnv(), Map.of(), dir).bind("all", Everything.class);

        assertThat(all.password()).hasToString("******");
        assertThat(all.toString()).doesNotContain("hunter2");
        assertThat(Secret.of("a")).isEqualTo(Secret.of("a")).isNotEqualTo(Secret.of("b"));
    }

    @Test
    void secretsAreKnownForRedactionAndMaskedInDumpsFromTheMomentOfLoading() {
        record Db(Secret credentials) {}

        Configuration config = Configuration.load(Map.of("DB_CREDENTIALS", "letmein", "ALL_PASSWORD", "hunter2",
                "DATABASE_URL", "postgres://app:pa%40ss@db/notes", "SOME_API_KEY", "k-123456"), Map.of(), dir);

        // Known before anything is bound: nothing can print them first.
        assertThat(config.secretValues()).contains("letmein", "hunter2", "pa%40ss", "k-123456");
        assertThat(config.entries()).filteredOn(e -> e.key().equals("database.url"))
                .singleElement().extracting(ConfigEntry::value).isEqualTo("postgres://app:******@db/notes");
        assertThat(config.bind("db", Db.class).credentials().reveal()).isEqualTo("letmein");
        assertThat(config.describe()).doesNotContain("letmein").doesNotContain("pa%40ss");
    }

    @Test
    void variablesNamedLikeSecretsHoldingSwitchesOrNumbersAreNotSecrets() {
        Configuration config = Configuration.load(Map.of("USE_TOKEN", "true", "MAX_KEYS", "8", "X_KEY", "abc",
                "APP_API_KEY", "k3y-v4lue"), Map.of(), dir);

        assertThat(config.secretValues()).contains("k3y-v4lue").doesNotContain("true", "8", "abc");
    }

    @Test
    void aSecretInARecordThatFailsToBindIsStillRegistered() {
        record Worker(Secret signing, int retries) {}

        Configuration config = Configuration.load(Map.of("WORKER_SIGNING", "w2-s3cr3t-value", "WORKER_RETRIES", "many"),
                Map.of(), dir);

        assertThatThrownBy(() -> config.bind("worker", Worker.class)).isInstanceOf(ConfigurationException.class);
        assertThat(config.secretValues()).contains("w2-s3cr3t-value");
    }

    @Test
    void bindingChangesNoValueAndRegistersWhatItBindsAsASecret() {
        record Db(Secret signing, Optional<Integer> poolSize) {}

        Configuration config = Configuration.load(Map.of("DB_SIGNING", "s1gn-me", "DB_POOL_SIZE", "7"),
                Map.of(), dir);
        String before = config.describe();
        assertThat(config.secretValues()).doesNotContain("s1gn-me"); // its name does not say secret

        assertThat(config.bind("db", Db.class)).isEqualTo(config.bind("db", Db.class));
        assertThat(config.bind("db", Db.class).poolSize()).contains(7);
        // What binding adds to config's listing is the keys only a variable sets, masked as bound.
        assertThat(config.describe()).contains(before).startsWith("""
                db.pool-size = 7                                   # env var DB_POOL_SIZE
                db.signing = ******                                # env var DB_SIGNING
                """);
        assertThat(config.secretValues()).contains("s1gn-me");
    }

    @Test
    void aRecordThatHoldsAnUnsupportedTypeIsAProgrammingError() {
        record Odd(Thread thread) {}

        assertThatThrownBy(() -> Configuration.load(Map.of("ODD_THREAD", "x"), Map.of(), dir).bind("odd", Odd.class))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("configuration records cannot hold a java.lang.Thread (at odd.thread)");
    }
}
