package dev.skiff.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.config.Configuration;
import dev.skiff.jdbc.internal.DatabaseUrl;
import dev.skiff.logging.internal.Redactor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * One URL, three readers: the configuration's masking, the database module's parser and the log
 * redactor read a URL's credentials by the one rule (config's {@code UrlCredentials}), so for any
 * password — '@', '/', '?', '#', ';' and ':' in it included — the parser gets it whole, and neither
 * a configuration report nor a log line shows it.
 */
class UrlCredentialsPropertyTest {

    private static final Path EMPTY_DIRECTORY = emptyDirectory();

    private static Path emptyDirectory() {
        try {
            Path directory = Files.createTempDirectory("skiff-url-credentials");
            directory.toFile().deleteOnExit();
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A URL and the credentials it was made of. */
    record Case(String url, String user, String password) {}

    @Provide
    Arbitrary<Case> postgresUrls() {
        Arbitrary<String> user = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        // Upper case and punctuation only, after a 'P': never a part of the lower-case rest of the URL.
        Arbitrary<String> password = Arbitraries.strings().withChars("ABCDEFGHJKMNQRSTUVWXYZ23456789@/?#;:!$*()=-_~.+")
                .ofMinLength(3).ofMaxLength(16).map(rest -> "P" + rest);
        Arbitrary<String> host = Arbitraries.of("db", "db.internal", "10.0.0.7", "[::1]", "db-1,db-2");
        Arbitrary<Integer> port = Arbitraries.integers().between(1, 65535);
        Arbitrary<String> query = Arbitraries.of("", "?sslmode=require", "?sslmode=require&application_name=x");
        return Combinators.combine(user, password, host, port, query).as((u, p, h, n, q) -> new Case(
                "postgres://" + u + ":" + p + "@" + (h.contains(",") ? h : h + ":" + n) + "/notes" + q, u, p));
    }

    @Provide
    Arbitrary<Case> jdbcUrls() {
        Arbitrary<String> user = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8);
        Arbitrary<String> password = Arbitraries.strings().withChars("ABCDEFGHJKMNQRSTUVWXYZ23456789@/?;:!$*()=-_~.")
                .ofMinLength(3).ofMaxLength(16).map(rest -> "P" + rest);
        return Combinators.combine(user, password).as((u, p) -> new Case(
                "jdbc:postgresql://db:5432/notes?user=" + u + "&password=" + p + "&sslmode=require", u, p));
    }

    @Property(tries = 300)
    void theParserGetsThePasswordWholeAndNeverShowsIt(@ForAll("postgresUrls") Case url) {
        DatabaseUrl parsed = DatabaseUrl.parse(url.url());

        assertThat(parsed.user()).contains(url.user());
        assertThat(parsed.password()).hasValueSatisfying(secret -> assertThat(secret.reveal()).isEqualTo(url.password()));
        assertThat(parsed.toString()).doesNotContain(url.password());
    }

    @Property(tries = 100)
    void theConfigurationKnowsThePasswordAsASecretAndMasksIt(@ForAll("postgresUrls") Case url) {
        Configuration configuration = Configuration.load(Map.of("DATABASE_URL", url.url()), Map.of(), EMPTY_DIRECTORY);

        assertThat(configuration.secretValues()).contains(url.password());
        assertThat(configuration.describe()).contains("postgres://" + url.user() + ":").doesNotContain(url.password());
    }

    @Property(tries = 300)
    void theRedactorMasksThePasswordInALogLine(@ForAll("postgresUrls") Case url) {
        // No secret known beforehand: only the URL's own reading can find the password.
        var redactor = new Redactor(List::of, List.of(), 100_000);

        String line = redactor.redact("cannot connect to " + url.url() + " (connection refused)");

        assertThat(line).doesNotContain(url.password()).contains("postgres://" + url.user() + ":******@");
    }

    @Property(tries = 100)
    void aJdbcUrlsPasswordParameterIsReadAlikeByAllThree(@ForAll("jdbcUrls") Case url) {
        DatabaseUrl parsed = DatabaseUrl.parse(url.url());
        Configuration configuration = Configuration.load(Map.of("DATABASE_URL", url.url()), Map.of(), EMPTY_DIRECTORY);
        String line = new Redactor(List::of, List.of(), 100_000).redact("using " + url.url());

        assertThat(parsed.password()).hasValueSatisfying(secret -> assertThat(secret.reveal()).isEqualTo(url.password()));
        assertThat(parsed.toString()).doesNotContain(url.password());
        assertThat(configuration.secretValues()).contains(url.password());
        assertThat(configuration.describe()).doesNotContain(url.password());
        assertThat(line).doesNotContain(url.password());
    }
}
