package dev.skiff.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the redactor masks, in each form a secret or a credential takes on its way into a line. */
class RedactorTest {

    private static final String SECRET = "s3cr\"t/p@ss";
    private static final String SHORT = "k9";
    private final Redactor redactor = new Redactor(() -> Set.of(SECRET, SHORT), List.of(), 32_768);

    private String masked(String text) {
        return redactor.redact(text);
    }

    @Test
    void aKnownSecretInEveryEncoding() {
        byte[] bytes = SECRET.getBytes(StandardCharsets.UTF_8);
        assertThat(masked("raw " + SECRET)).isEqualTo("raw ******");
        assertThat(masked("url " + URLEncoder.encode(SECRET, StandardCharsets.UTF_8))).isEqualTo("url ******");
        assertThat(masked("json {\"p\":\"s3cr\\\"t/p@ss\"}")).isEqualTo("json {\"p\":\"******\"}");
        assertThat(masked("hex " + HexFormat.of().formatHex(bytes))).isEqualTo("hex ******");
        assertThat(masked("HEX " + HexFormat.of().withUpperCase().formatHex(bytes))).isEqualTo("HEX ******");
        assertThat(masked("b64 " + Base64.getEncoder().encodeToString(bytes))).doesNotContain(
                Base64.getEncoder().withoutPadding().encodeToString(bytes));
    }

    @Test
    void aSecretIsFoundAtEveryPositionAndInAnyAlphabet() {
        for (String secret : List.of(SECRET, "pässwörd-ü€", "密码密码密码", "ab\u0100\u0101cd")) {
            var own = new Redactor(() -> Set.of(secret), List.of(), 32_768);
            for (String text : List.of(secret, "x" + secret, secret + "y", "a long line before " + secret + " and after",
                    "twice " + secret + secret)) {
                assertThat(own.redact(text)).as("%s in %s", secret, text).doesNotContain(secret).contains("******");
            }
            assertThat(own.redact("nothing secret here, 2026-11-27 42")).isEqualTo("nothing secret here, 2026-11-27 42");
        }
    }

    @Test
    void aSecretInsideTheBase64OfUserColonPasswordAtEveryAlignment() {
        for (String user : List.of("a", "ab", "abc", "alice")) {
            String basic = Base64.getEncoder().encodeToString((user + ":" + SECRET).getBytes(StandardCharsets.UTF_8));
            String out = masked("token " + basic);
            assertThat(out).as(user).contains("******");
            // What is left cannot be decoded back to the secret.
            assertThat(out.replace("token ", "")).doesNotContain(basic);
        }
    }

    @Test
    void aShortSecretIsMaskedWhereItStandsAloneOnly() {
        assertThat(masked("pin=k9 and k9.")).isEqualTo("pin=****** and ******.");
        assertThat(masked("k99 ak9")).isEqualTo("k99 ak9");
    }

    @Test
    void headersAsUndertowPrintsThem() {
        assertThat(masked("{Authorization=[Bearer tok-123], Host=[x]}"))
                .isEqualTo("{Authorization=[******], Host=[x]}");
        assertThat(masked("Authorization: Basic dXNlcjpwYXNz")).isEqualTo("Authorization: ******");
    }

    @Test
    void basicCredentialsWithoutTheirHeaderButNotTheWordBasic() {
        assertThat(masked("sent Basic dXNlcjpwYXNzd29yZA== to the proxy")).isEqualTo("sent Basic ****** to the proxy");
        assertThat(masked("basic configuration applies")).isEqualTo("basic configuration applies");
    }

    @Test
    void passwordsInUrlsWithAnyCharacter() {
        assertThat(masked("postgres://notes:p@ssw0rd@db/notes")).isEqualTo("postgres://notes:******@db/notes");
        assertThat(masked("postgres://notes:p/a@ss@db:5432/notes?sslmode=require"))
                .isEqualTo("postgres://notes:******@db:5432/notes?sslmode=require");
        assertThat(masked("jdbc:postgresql://db/notes?user=u&password=X1&sslpassword=Y2&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/notes?user=u&password=******&sslpassword=******&ssl=true");
        // Up to '&', since pgjdbc reads ';' as part of a value: more is masked for other drivers.
        assertThat(masked("jdbc:sqlserver://db;user=u;password=Z3;encrypt=true"))
                .isEqualTo("jdbc:sqlserver://db;user=u;password=******");
        assertThat(masked("jdbc:postgresql://db/n?password=se;cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/n?password=******&ssl=true");
        assertThat(masked("postgres://app:Xk9@pQ#r2Zt@127.0.0.1:1/notes")).isEqualTo("postgres://app:******@127.0.0.1:1/notes");
        assertThat(masked("postgres://app:p@ss/w:rd?#xq@127.0.0.1:1/notes")).isEqualTo("postgres://app:******@127.0.0.1:1/notes");
        assertThat(masked("jdbc:h2:mem:notes;PASSWORD=h2secretpw;DB_CLOSE_DELAY=-1")).doesNotContain("h2secretpw");
        assertThat(masked("mail me at a@b.c")).isEqualTo("mail me at a@b.c");
    }

    @Test
    void aFieldNameIsMaskedForTheSecretsOfTheMomentEvenWhenRemembered() {
        var secrets = new java.util.concurrent.atomic.AtomicReference<Set<String>>(Set.of("first-secret"));
        var changing = new Redactor(secrets::get, List.of(), 32_768);

        assertThat(changing.redactKey("key-second-secret")).isEqualTo("key-second-secret");
        assertThat(changing.redactKey("first-secret")).isEqualTo("******");

        secrets.set(Set.of("second-secret"));
        assertThat(changing.redactKey("key-second-secret")).isEqualTo("key-******");
    }

    @org.junit.jupiter.api.Test
    void aHostileUrlInAClientsTextCostsTimeInProportionToItsLength() {
        // Each of these was quadratic once: a separator per character, a scheme's letters before no "://".
        String separators = "x://h/?" + "&".repeat(200_000) + "=";
        String letters = "a".repeat(200_000) + " b://u:Pw0rdSecret@h/";
        String semicolons = "jdbc:x://h/?password=1" + ";password=1".repeat(20_000);
        var redactor = new Redactor(java.util.List::of, java.util.List.of(), Integer.MAX_VALUE);

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            assertThat(redactor.redact(separators)).startsWith("x://h/?");
            assertThat(redactor.redact(letters)).endsWith(" b://u:******@h/");
            assertThat(redactor.redact(semicolons)).doesNotContain("password=1;");
        });
    }
}
