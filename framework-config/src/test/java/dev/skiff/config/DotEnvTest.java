package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class DotEnvTest {

    @Example
    void readsCommentsExportsQuotesAndInlineComments() {
        DotEnv.Result result = DotEnv.parse("""
                # a comment

                export PORT=8080
                HOST = 127.0.0.1   # loopback
                GREETING="hello \\"world\\"\\nbye"  # escaped
                RAW='no $expansion # here'
                EMPTY=
                URL=postgres://u:p@h/db#frag
                """);

        assertThat(result.problems()).isEmpty();
        Map<String, String> values = new java.util.LinkedHashMap<>();
        result.values().forEach((k, v) -> values.put(k, v.value()));
        assertThat(values).containsExactly(
                Map.entry("PORT", "8080"),
                Map.entry("HOST", "127.0.0.1"),
                Map.entry("GREETING", "hello \"world\"\nbye"),
                Map.entry("RAW", "no $expansion # here"),
                Map.entry("EMPTY", ""),
                Map.entry("URL", "postgres://u:p@h/db#frag"));
        assertThat(result.values().get("HOST").line()).isEqualTo(4);
    }

    @Example
    void theExampleInTheDocsReadsAsItSays() throws Exception {
        String text;
        try (var in = DotEnvTest.class.getResourceAsStream("/examples/dotenv")) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        DotEnv.Result result = DotEnv.parse(text);

        assertThat(result.problems()).isEmpty();
        assertThat(result.values()).hasSize(3);
        assertThat(result.values().get("PORT").value()).isEqualTo("8080");
        assertThat(result.values().get("NOTES_GREETING").value()).isEqualTo("Hello there");
        assertThat(result.values().get("API_TOKEN").value()).isEqualTo("literal $text");
    }

    @Example
    void aLaterLineWinsAndWindowsLineEndsAreFine() {
        DotEnv.Result result = DotEnv.parse("A=1\r\nA=2\r\n");

        assertThat(result.values().get("A").value()).isEqualTo("2");
        assertThat(result.values().get("A").line()).isEqualTo(2);
    }

    @Example
    void brokenLinesAreProblemsThatDoNotEchoTheirValue() {
        DotEnv.Result result = DotEnv.parse("OK=1\n1BAD=topsecret\nQUOTE='topsecret\nTAIL=\"a\" topsecret\n");

        assertThat(result.values()).containsOnlyKeys("OK");
        assertThat(result.problems()).extracting(ConfigProblem::origin).containsExactly(".env: 2", ".env: 3", ".env: 4");
        assertThat(result.problems().toString()).doesNotContain("topsecret");
    }

    @Property(tries = 500)
    void anyTextParsesIntoValuesOrProblems(@ForAll("envFiles") String text) {
        DotEnv.Result result = DotEnv.parse(text);

        assertThat(result.values().size() + result.problems().size()).isLessThanOrEqualTo(text.split("\n", -1).length
                + text.split("\r", -1).length);
    }

    @Provide
    Arbitrary<String> envFiles() {
        return Arbitraries.oneOf(
                Arbitraries.strings().all().ofMaxLength(200),
                Arbitraries.strings().withChars("AB_=#'\"\\ \n\r\texport").ofMaxLength(200));
    }
}
