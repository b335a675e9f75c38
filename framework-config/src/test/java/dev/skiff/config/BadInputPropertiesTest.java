package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Arbitrary text for every supported type gives a value or a problem: never another exception,
 * never a hang, never a secret in a message.
 */
class BadInputPropertiesTest {

    enum Mode { OPEN, CLOSED }

    record AllTypes(Optional<String> text, Optional<Integer> count, Optional<Long> big, Optional<Double> ratio,
                    Optional<Boolean> flag, Optional<Mode> mode, Optional<Duration> timeout,
                    Optional<ByteSize> size, Optional<URI> endpoint, Optional<Path> dir,
                    Optional<List<Integer>> numbers, Optional<Map<String, String>> labels) {}

    record Secrets(int password, Secret token, Duration apiKey) {}

    private static final List<String> VARIABLES = List.of("A_TEXT", "A_COUNT", "A_BIG", "A_RATIO", "A_FLAG",
            "A_MODE", "A_TIMEOUT", "A_SIZE", "A_ENDPOINT", "A_DIR", "A_NUMBERS", "A_LABELS");

    private static Path empty;

    @BeforeContainer
    static void emptyDirectory() throws Exception {
        empty = java.nio.file.Files.createTempDirectory("skiff-config-properties");
        empty.toFile().deleteOnExit();
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(40),
                Arbitraries.strings().withChars("0123456789-+._,=eEPTSMHkKiBmsGgb ").ofMaxLength(24),
                Arbitraries.of("", " ", "99999999999999999999", "-1", "NaN", "Infinity", "1e400", "PT", "P1Y",
                        "9999999999d", "10XB", "http://", "://x", "a=", "=b", ",,", "\u0000", "\ud800", "${x}",
                        "\u2028", "\u00a0", "1\u2003s", "\ufeff"));
    }

    @Property(tries = 400)
    void anyValueOfAnyTypeBindsOrIsAProblem(@ForAll("values") String value, @ForAll("variable") String variable) {
        try {
            Configuration.load(Map.of(variable, value), Map.of(), empty).bind("a", AllTypes.class);
        } catch (ConfigurationException e) {
            assertThat(e.problems()).isNotEmpty();
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> variable() {
        return Arbitraries.of(VARIABLES);
    }

    @Property(tries = 300)
    void aSecretNeverAppearsInAProblem(@ForAll("secrets") String secret) {
        var env = Map.of("S_PASSWORD", secret, "S_TOKEN", secret, "S_API_KEY", secret);
        try {
            Configuration.load(env, Map.of(), empty).bind("s", Secrets.class);
        } catch (ConfigurationException e) {
            assertThat(e.getMessage()).doesNotContain(secret.strip());
            e.problems().forEach(p -> assertThat(p.toString()).doesNotContain(secret.strip()));
        }
    }

    @Provide
    Arbitrary<String> secrets() {
        // Long enough that the secret cannot occur in a report by chance.
        return Arbitraries.strings().alpha().numeric().ofMinLength(12).ofMaxLength(40);
    }
}
