package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigurationTest {

    enum Mode { OPEN, CLOSED }

    record Shop(String name, int maxItems, Duration timeout, Mode mode, List<String> tags, boolean enabled,
                Optional<String> motto) {}

    record Http(String host, int port) {}

    record Checked(String name, int maxItems) {
        Checked {
            if (maxItems > 5) {
                throw new IllegalArgumentException("max-items must be at most 5, got " + maxItems);
            }
        }
    }

    private static Configuration load(Map<String, String> env, Map<String, String> sys) {
        return Configuration.load(env, sys, Path.of(""));
    }

    @Test
    void applicationConfOverridesReferenceConfAndKebabKeysBindToCamelComponents() {
        Shop shop = load(Map.of(), Map.of()).bind("shop", Shop.class);

        assertThat(shop).isEqualTo(new Shop("corner shop", 10, Duration.ofSeconds(30), Mode.OPEN,
                List.of("a", "b"), true, Optional.empty()));
    }

    @Test
    void systemPropertiesOverrideFilesAndEnvironmentOverridesSystemProperties() {
        var sys = Map.of("shop.name", "from property", "shop.max-items", "20");
        var env = Map.of("SHOP_MAX_ITEMS", "30", "SHOP_TAGS", "x, y ,z", "SHOP_TIMEOUT", "250ms");

        Shop shop = load(env, sys).bind("shop", Shop.class);

        assertThat(shop.name()).isEqualTo("from property");
        assertThat(shop.maxItems()).isEqualTo(30);
        assertThat(shop.tags()).containsExactly("x", "y", "z");
        assertThat(shop.timeout()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void platformAliasesSetTheirKeysAndWinOverTheRuleName() {
        var env = Map.of("PORT", "9000", "HTTP_PORT", "7000", "HOST", "127.0.0.1");

        Http http = load(env, Map.of()).bind("http", Http.class);

        assertThat(http).isEqualTo(new Http("127.0.0.1", 9000));
    }

    @Test
    void aPortThatIsNotANumberGivesTheReportShownInTheDocs() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load(Map.of("PORT", "eighty"), Map.of()).bind("http", Http.class));

        String documented;
        try (var in = getClass().getResourceAsStream("/reports/port-not-a-number.txt")) {
            documented = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertThat(e.getMessage() + "\n").isEqualTo(documented);
    }

    @Test
    void envNamesFollowOneRule() {
        assertThat(Configuration.envName("http.max-body-size")).isEqualTo("HTTP_MAX_BODY_SIZE");
        assertThat(Configuration.envName("log.level")).isEqualTo("LOG_LEVEL");
    }

    @Test
    void everyProblemIsReportedAtOnceWithKeyOriginAndExpectation() {
        var env = Map.of("SHOP_MAX_ITEMS", "many", "SHOP_MODE", "ajar", "SHOP_TIMEOUT", "soon");

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load(env, Map.of()).bind("shop", Shop.class));

        assertThat(e.problems()).extracting(ConfigProblem::key)
                .containsExactly("shop.max-items", "shop.timeout", "shop.mode");
        assertThat(e.getMessage()).isEqualTo("""
                Configuration is invalid (3 problems); nothing was started.

                  1. shop.max-items: expected a whole number, got "many"
                        from: env var SHOP_MAX_ITEMS
                        to fix: set SHOP_MAX_ITEMS (or shop.max-items in application.conf)

                  2. shop.timeout: expected a duration such as 250ms, 30s or 5m, got "soon"
                        from: env var SHOP_TIMEOUT
                        to fix: set SHOP_TIMEOUT (or shop.timeout in application.conf)

                  3. shop.mode: expected one of open, closed, got "ajar"
                        from: env var SHOP_MODE
                        to fix: set SHOP_MODE (or shop.mode in application.conf)""");
    }

    @Test
    void aMissingValueNamesTheVariableToSet() {
        record Db(String url) {}

        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load(Map.of(), Map.of()).bind("database", Db.class));

        assertThat(e.problems()).containsExactly(new ConfigProblem("database.url", "DATABASE_URL", "not set",
                "a value is required and none was given"));
    }

    @Test
    void aRecordRuleBecomesAProblemOnItsKey() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load(Map.of(), Map.of()).bind("shop", Checked.class));

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("shop");
            assertThat(p.message()).isEqualTo("max-items must be at most 5, got 10");
        });
    }

    @Test
    void fileValuesNameTheirFileAndLine() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load(Map.of(), Map.of()).bind("shop", WrongType.class));

        assertThat(e.problems()).singleElement().satisfies(p ->
                assertThat(p.origin()).contains("application.conf").contains(": 3"));
    }

    record WrongType(int name) {}
}
