package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The rules docs/operations.md ships pass Prometheus's own checks and unit tests. */
class PrometheusRulesTest {

    private static final Path RULES = Path.of("../../docs/prometheus");

    @Test
    void theRulesPassPromtoolCheckRules() throws Exception {
        var check = DebianTool.run(RULES, "promtool", "check", "rules", "skiff.rules.yml");

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS");
    }

    @Test
    void theRulesPassTheirUnitTests() throws Exception {
        var test = DebianTool.run(RULES, "promtool", "test", "rules", "skiff.rules.test.yml");

        assertThat(test.exitCode()).as(test.output()).isZero();
    }
}
