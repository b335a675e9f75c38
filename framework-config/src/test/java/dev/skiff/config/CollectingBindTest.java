package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.config.launch.internal.Binding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's view: every bind's problems collected, and secrets left to the processes that read them. */
class CollectingBindTest {

    record Orders(String currency, int maxItems, Duration every, Secret adminToken) {
        Orders {
            if (!currency.matches("[A-Z]{3}")) {
                throw new IllegalArgumentException("currency must be three capital letters, such as EUR");
            }
        }
    }

    record Checked(String name, Secret token) {
        Checked {
            if (token.reveal().length() < 8) {
                throw new IllegalArgumentException("token must be at least 8 characters long");
            }
        }
    }

    record Other(String name) {}

    @TempDir
    Path dir;

    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<ConfigProblem> unset = new ArrayList<>();

    private Configuration collecting(Map<String, String> env, boolean deferSecrets) {
        return Binding.collecting(Configuration.load(env, Map.of(), dir), deferSecrets, problems, unset);
    }

    @Test
    void everyBindsProblemsAndTheRecordsOwnCheckAreCollectedTogether() {
        Configuration configuration = collecting(Map.of("ORDERS_CURRENCY", "euro", "ORDERS_MAX_ITEMS", "many"), false);

        Orders orders = configuration.bind("orders", Orders.class);
        Other other = configuration.bind("other", Other.class);

        assertThat(problems).extracting(ConfigProblem::key)
                .containsExactly("orders.max-items", "orders.every", "orders.admin-token", "orders.currency", "other.name");
        assertThat(problems.get(3).message()).isEqualTo("currency must be three capital letters, such as EUR");
        assertThat(orders).as("its own check refused the stand-ins' record").isNull();
        assertThat(other).as("a stand-in, so that setup goes on").isEqualTo(new Other(""));
        assertThat(unset).isEmpty();
    }

    @Test
    void aCheckOnAValueThatHasAProblemIsNotReportedTwice() {
        collecting(Map.of("ORDERS_MAX_ITEMS", "1", "ORDERS_EVERY", "1m", "ORDERS_ADMIN_TOKEN", "t"), false)
                .bind("orders", Orders.class);
        // The check saw the missing currency's stand-in (""): the problem is that it is missing.
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.toString())
                .startsWith("orders.currency: a value is required and none was given"));
    }

    @Test
    void aSecretThatIsNotSetIsLeftToTheCodeThatReadsIt() {
        Orders orders = collecting(Map.of("ORDERS_CURRENCY", "EUR", "ORDERS_MAX_ITEMS", "3", "ORDERS_EVERY", "1m"), true)
                .bind("orders", Orders.class);

        assertThat(problems).isEmpty();
        assertThat(unset).singleElement().satisfies(p -> assertThat(p.envVar()).isEqualTo("ORDERS_ADMIN_TOKEN"));
        assertThat(orders.maxItems()).isEqualTo(3);
        assertThat(orders.adminToken()).hasToString(Secret.MASK);
        assertThatThrownBy(() -> orders.adminToken().reveal()).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("A secret this process reads is not set (1 problem).")
                .hasMessageContaining("orders.admin-token: a value is required and none was given")
                .hasMessageContaining("to fix: set ORDERS_ADMIN_TOKEN");
        assertThat(orders.adminToken()).isNotEqualTo(Secret.of(""));
    }

    @Test
    void aSecretTheRecordsOwnCheckReadsIsNeededByEveryProcess() {
        assertThat(collecting(Map.of("CHECKED_NAME", "x"), true).bind("checked", Checked.class)).isNull();

        assertThat(unset).isEmpty();
        assertThat(problems).singleElement().satisfies(p -> assertThat(p.toString()).startsWith(
                "checked.token: a value is required and none was given (Checked's own check reads it, so every"
                        + " process needs it)"));
    }

    @Test
    void describeListsEveryKeyARecordBindsWhereverItsValueCameFrom(@TempDir Path secrets) throws Exception {
        Path token = java.nio.file.Files.writeString(secrets.resolve("token"), "s3cret-from-a-file\n");
        Configuration loaded = Configuration.load(Map.of("ORDERS_CURRENCY", "EUR",
                "ORDERS_ADMIN_TOKEN_FILE", token.toString()), Map.of(), dir);
        Binding.collecting(loaded, true, problems, unset).bind("orders", Orders.class);

        String described = loaded.describe();
        assertThat(described).containsPattern("(?m)^orders\\.currency = EUR +# env var ORDERS_CURRENCY$")
                .containsPattern("(?m)^orders\\.admin-token = \\*+ +# file .*token \\(env var ORDERS_ADMIN_TOKEN_FILE\\)$")
                .containsPattern("(?m)^orders\\.max-items = \\(not set\\) +# not set; ORDERS_MAX_ITEMS sets it$")
                .doesNotContain("s3cret-from-a-file");
        assertThat(loaded.summary()).contains("orders.currency=EUR").doesNotContain("orders.max-items", "(not set)");
    }

    @Test
    void outsideTheLaunchersViewBindStillThrowsEveryProblem() {
        Configuration plain = Configuration.load(Map.of("ORDERS_CURRENCY", "euro"), Map.of(), dir);
        assertThatThrownBy(() -> plain.bind("orders", Orders.class)).isInstanceOf(ConfigurationException.class)
                .hasMessageStartingWith("Configuration is invalid (4 problems)")
                .hasMessageContaining("currency must be three capital letters");
    }
}
