package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.io.TempDir;

/** Problems are UI: these reports are asserted word for word. */
class ProblemsTest {

    enum Mode { OPEN, CLOSED }

    record Http(String host, int port) {}

    record Shop(String name, int maxItems, Duration timeout, Mode mode, java.util.List<String> tags, boolean enabled) {}

    @TempDir
    Path dir;

    private ConfigurationException problems(ThrowingCallable call) {
        return catchThrowableOfType(ConfigurationException.class, call);
    }

    /** A report that docs/configuration.md shows, kept as a file so the docs quote it exactly. */
    private static String report(String name) throws IOException {
        try (InputStream in = ProblemsTest.class.getResourceAsStream("/reports/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Configuration load(Map<String, String> env) {
        return Configuration.load(env, Map.of(), dir);
    }

    @Test
    void everyProblemIsReportedAtOnceWithKeyOriginAndExpectation() throws IOException {
        var env = Map.of("SHOP_MAX_ITEMS", "many", "SHOP_MODE", "ajar", "SHOP_TIMEOUT", "soon");

        ConfigurationException e = problems(() -> load(env).bind("shop", Shop.class));

        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("shop.max-items", "shop.timeout", "shop.mode");
        assertThat(e.getMessage() + "\n").isEqualTo(report("three-problems.txt"));
    }

    @Test
    void aPortThatIsNotANumberGivesTheReportShownInTheDocs() throws IOException {
        ConfigurationException e = problems(() -> load(Map.of("PORT", "eighty")).bind("http", Http.class));

        assertThat(e.getMessage() + "\n").isEqualTo(report("port-not-a-number.txt"));
    }

    @Test
    void aMissingValueNamesTheVariableToSetAndSpotsATypo() {
        record Database(String url) {}

        ConfigurationException e = problems(() -> load(Map.of("DATABSE_URL", "postgres://db/notes"))
                .bind("database", Database.class));

        assertThat(e.getMessage()).isEqualTo("""
                Configuration is invalid (1 problem); nothing was started.

                  1. database.url: a value is required and none was given; DATABSE_URL is set: did you mean DATABASE_URL?
                        from: not set
                        to fix: set DATABASE_URL (or database.url in application.conf)""");
    }

    @Test
    void anUnknownKeyInTheApplicationsFileIsATypoWithASuggestion() {
        ConfigurationException e = problems(() -> load(Map.of()).bind("typo", Http.class));

        assertThat(e.getMessage()).isEqualTo("""
                Configuration is invalid (2 problems); nothing was started.

                  1. typo.host: a value is required and none was given
                        from: not set
                        to fix: set TYPO_HOST (or typo.host in application.conf)

                  2. typo.prot: no setting reads this key; did you mean typo.port (TYPO_PORT)?
                        from: application.conf: 21
                        to fix: remove typo.prot from application.conf: 21, or correct its name""");
    }

    @Test
    void aSystemPropertyThatSetsNothingUnderAKnownBlockIsWarnedOfWithTheKeyMeant() {
        Configuration configuration = Configuration.load(Map.of(), Map.of("shop.max-itmes", "5",
                "java.version", "25", "user.home", "/root"), dir);

        assertThat(configuration.warnings())
                .containsExactly("-Dshop.max-itmes is set but sets nothing; did you mean -Dshop.max-items?");
    }

    @Test
    void anUnknownEnumConstantListsTheAllowedOnesAndTheClosest() {
        record M(Mode mode) {}

        ConfigurationException e = problems(() -> load(Map.of("M_MODE", "opne")).bind("m", M.class));

        assertThat(e.problems()).singleElement().extracting(ConfigProblem::message)
                .isEqualTo("expected one of open, closed (did you mean open?), got \"opne\"");
    }

    @Test
    void aSecretValueIsNeverEchoed() {
        record Api(int token, Secret key) {}

        ConfigurationException e = problems(() -> load(Map.of("API_TOKEN", "tok-1234567", "API_KEY", "")).bind("api", Api.class));

        assertThat(e.getMessage()).isEqualTo("""
                Configuration is invalid (1 problem); nothing was started.

                  1. api.token: expected a whole number, got a value that is not shown because it is secret
                        from: env var API_TOKEN
                        to fix: set API_TOKEN, or API_TOKEN_FILE naming a file that holds it""");
        assertThat(e.getMessage()).doesNotContain("tok-1234567");
    }

    @Test
    void aNumberOutOfRangeSaysTheRange() {
        ConfigurationException e = problems(() -> load(Map.of("PORT", "99999999999")).bind("http", Http.class));

        assertThat(e.problems()).singleElement().extracting(ConfigProblem::message)
                .isEqualTo("expected a whole number from -2147483648 to 2147483647, got \"99999999999\"");
    }

    @Test
    void aRecordRuleBecomesAProblemOnItsBlock() {
        record Pool(int min, int max) {
            Pool {
                if (min > max) {
                    throw new IllegalArgumentException("the smallest size (" + min + ") must not exceed the largest (" + max + ")");
                }
            }
        }

        ConfigurationException e = problems(() -> load(Map.of("POOL_MIN", "10", "POOL_MAX", "2")).bind("pool", Pool.class));

        assertThat(e.getMessage()).isEqualTo("""
                Configuration is invalid (1 problem); nothing was started.

                  1. pool: the smallest size (10) must not exceed the largest (2)
                        from: env var POOL_MIN, env var POOL_MAX
                        to fix: set POOL_MIN, POOL_MAX (or pool in application.conf)""");
    }

    @Test
    void aRecordRuleThatNamesOneComponentIsAProblemOnThatKey() {
        record Greeting(String text, int repeat) {
            Greeting {
                if (text.isBlank()) {
                    throw new IllegalArgumentException("text must not be blank");
                }
            }
        }

        ConfigurationException e = problems(() -> load(Map.of("GREETING_TEXT", " ", "GREETING_REPEAT", "2"))
                .bind("greeting", Greeting.class));

        assertThat(e.problems()).containsExactly(new ConfigProblem("greeting.text", "GREETING_TEXT",
                "env var GREETING_TEXT", "text must not be blank"));
    }

    @Test
    void anAliasAndTheRuleNameThatDisagreeAreAProblem() {
        ConfigurationException e = problems(() -> load(Map.of("PORT", "9000", "HTTP_PORT", "7000")));

        assertThat(e.getMessage()).isEqualTo("""
                Configuration is invalid (1 problem); nothing was started.

                  1. http.port: both PORT and HTTP_PORT are set, to different values; set only one
                        from: env vars PORT and HTTP_PORT
                        to fix: set PORT (or http.port in application.conf)""");
    }

    @Test
    void aBrokenDotEnvLineIsReportedWithoutItsValue() throws IOException {
        Files.writeString(dir.resolve(".env"), "PORT=8080\nthis line has no equals sign secret\nTOKEN=\"unclosed\n");

        ConfigurationException e = problems(() -> load(Map.of()));

        assertThat(e.getMessage()).isEqualTo("""
                Configuration is invalid (2 problems); nothing was started.

                  1. .env: 2: expected NAME=VALUE, where NAME is letters, digits and _ not starting with a digit; fix or remove the line

                  2. .env: 3: TOKEN: the double quote that opens the value is never closed on its line; close it""");
    }

    @Test
    void anApplicationConfThatCannotBeParsedNamesItsLine() throws Exception {
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(classes.resolve("application.conf"), "http {\n  port = 8080\n");
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        try (var loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Thread.currentThread().setContextClassLoader(loader);
            ConfigurationException e = problems(() -> load(Map.of()));

            assertThat(e.problems()).singleElement().satisfies(p -> {
                assertThat(p.origin()).isEqualTo("application.conf: 3");
                assertThat(p.message()).startsWith("the file cannot be parsed: ");
            });
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    @Test
    void problemsCanBeReadAsData() {
        record Flags(Optional<Boolean> beta, boolean alpha) {}

        ConfigurationException e = problems(() -> load(Map.of("FLAGS_BETA", "maybe")).bind("flags", Flags.class));

        assertThat(e.problems()).containsExactly(
                new ConfigProblem("flags.beta", "FLAGS_BETA", "env var FLAGS_BETA", "expected true or false, got \"maybe\""),
                new ConfigProblem("flags.alpha", "FLAGS_ALPHA", "not set", "a value is required and none was given"));
    }

    @Test
    void sizesUrisListsAndMapsSayWhatTheyExpect() {
        record Odd(ByteSize size, java.net.URI endpoint, java.util.List<Integer> numbers,
                   Map<String, Integer> weights) {}

        ConfigurationException e = problems(() -> load(Map.of("ODD_SIZE", "lots", "ODD_ENDPOINT", "not a uri",
                "ODD_NUMBERS", "1,two,3", "ODD_WEIGHTS", "a=1,b")).bind("odd", Odd.class));

        assertThat(e.problems()).extracting(ConfigProblem::key, ConfigProblem::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("odd.size", "expected a size such as 512KiB, 10MiB or 1GB, got \"lots\""),
                org.assertj.core.groups.Tuple.tuple("odd.endpoint",
                        "expected an absolute URI such as https://example.com/path, got \"not a uri\""),
                org.assertj.core.groups.Tuple.tuple("odd.numbers", "expected a whole number, got \"two\""),
                org.assertj.core.groups.Tuple.tuple("odd.weights",
                        "expected name=value pairs separated by commas, such as a=1,b=2"));
    }
}
