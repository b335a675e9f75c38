package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading: the layers, their order, the naming rule, aliases and the .env file. */
class ConfigurationTest {

    record Layered(String fromReference, String fromApplication, String fromDotenv, String fromProperty,
                   String fromEnv) {}

    record Http(String host, int port) {}

    @TempDir
    Path dir;

    private Configuration load(Map<String, String> env, Map<String, String> sys) {
        return Configuration.load(env, sys, dir);
    }

    private void dotEnv(String text) throws IOException {
        Files.writeString(dir.resolve(".env"), text);
    }

    @Test
    void eachLayerOverridesTheOneBelow() throws IOException {
        dotEnv("LAYERED_FROM_DOTENV=dotenv\nLAYERED_FROM_PROPERTY=dotenv\nLAYERED_FROM_ENV=dotenv\n");
        var sys = Map.of("layered.from-property", "property", "layered.from-env", "property");
        var env = Map.of("LAYERED_FROM_ENV", "env");

        Layered layered = load(env, sys).bind("layered", Layered.class);

        assertThat(layered).isEqualTo(new Layered("reference", "application", "dotenv", "property", "env"));
    }

    @Test
    void entriesNameTheOriginOfEveryValue() throws IOException {
        dotEnv("# local development\nLAYERED_FROM_DOTENV=dotenv\n");
        Configuration config = load(Map.of("LAYERED_FROM_ENV", "env"), Map.of("layered.from-property", "property"));

        assertThat(config.entries()).filteredOn(e -> e.key().startsWith("layered."))
                .extracting(ConfigEntry::key, ConfigEntry::value, ConfigEntry::origin)
                .containsExactly(
                        tuple("layered.from-application", "application", "application.conf: 3"),
                        tuple("layered.from-dotenv", "dotenv", ".env: 2 (LAYERED_FROM_DOTENV)"),
                        tuple("layered.from-env", "env", "env var LAYERED_FROM_ENV"),
                        tuple("layered.from-property", "property", "system property layered.from-property"),
                        tuple("layered.from-reference", "reference", "default (reference.conf: 3)"));
    }

    @Test
    void theEnvironmentSetsKeysThatNoFileDeclares() {
        record Api(String endpoint, int retries) {}

        Api api = load(Map.of("API_ENDPOINT", "https://api.example.com", "API_RETRIES", "3"), Map.of())
                .bind("api", Api.class);

        assertThat(api).isEqualTo(new Api("https://api.example.com", 3));
    }

    @Test
    void unrelatedEnvironmentVariablesDoNotBecomeKeys() {
        Configuration config = load(Map.of("PATH", "/usr/bin", "HOME", "/root"), Map.of());

        assertThat(config.entries()).extracting(ConfigEntry::key).doesNotContain("path", "home");
    }

    @Test
    void platformAliasesSetTheirKeys() {
        Http http = load(Map.of("PORT", "9000", "HOST", "127.0.0.1"), Map.of()).bind("http", Http.class);

        assertThat(http).isEqualTo(new Http("127.0.0.1", 9000));
    }

    @Test
    void anAliasAndTheRuleNameMayAgree() {
        Http http = load(Map.of("PORT", "9000", "HTTP_PORT", "9000"), Map.of()).bind("http", Http.class);

        assertThat(http.port()).isEqualTo(9000);
    }

    @Test
    void applicationsDeclareTheirOwnAliases() {
        record Vendor(Secret apiToken) {}

        Vendor vendor = load(Map.of("VENDOR_TOKEN", "s3cr3t"), Map.of()).bind("vendor", Vendor.class);

        assertThat(vendor.apiToken().reveal()).isEqualTo("s3cr3t");
    }

    @Test
    void aDotEnvFileReadsLikeTheEnvironmentWithExportsQuotesAndComments() throws IOException {
        dotEnv("""
                # a comment
                export PORT=7000
                HOST = "127.0.0.1"   # the loopback
                """);

        Http http = load(Map.of(), Map.of()).bind("http", Http.class);

        assertThat(http).isEqualTo(new Http("127.0.0.1", 7000));
    }

    @Test
    void theRealEnvironmentWinsOverDotEnv() throws IOException {
        dotEnv("PORT=7000\n");

        assertThat(load(Map.of("PORT", "7001"), Map.of()).bind("http", Http.class).port()).isEqualTo(7001);
    }

    @Test
    void envNamesFollowOneRule() {
        assertThat(Configuration.envName("http.max-body-size")).isEqualTo("HTTP_MAX_BODY_SIZE");
        assertThat(Configuration.envName("log.level")).isEqualTo("LOG_LEVEL");
    }

    @Test
    void aVariableThatLooksLikeATypoOfAKnownOneIsAWarning() {
        Configuration config = load(Map.of("DATABSE_URL", "postgres://db/x", "HOME", "/root", "PORTT", "1"), Map.of());

        assertThat(config.warnings()).containsExactly(
                "DATABSE_URL is set but sets nothing; did you mean DATABASE_URL?",
                "PORTT is set but sets nothing; did you mean PORT?");
    }

    record Pager(java.util.Optional<Integer> pageSize) {}

    @Test
    void aTypoOfAKeyOnlyARecordReadsIsAWarningOnceTheRecordIsBound() {
        // No file declares pager.page-size: the record that reads it is what makes it known.
        Configuration config = load(Map.of("PAGER_PAGE_SIZ", "5"), Map.of("pager.page-sise", "6"));
        assertThat(config.warnings()).isEmpty();

        assertThat(config.bind("pager", Pager.class).pageSize()).isEmpty();

        assertThat(config.warnings()).containsExactly(
                "PAGER_PAGE_SIZ is set but sets nothing; did you mean PAGER_PAGE_SIZE?",
                "-Dpager.page-sise is set but sets nothing; did you mean -Dpager.page-size?");
    }

    @Test
    void theSummaryNamesWhatIsNotADefaultAndMasksSecrets() {
        Configuration config = load(Map.of("PORT", "0", "DATABASE_URL", "postgres://app:hunter2@db:5432/notes"),
                Map.of());

        assertThat(config.summary())
                .contains("http.port=0 (env var PORT)")
                .contains("database.url=postgres://app:******@db:5432/notes (env var DATABASE_URL)")
                .doesNotContain("hunter2")
                .doesNotContain("layered.from-reference");
    }
}
