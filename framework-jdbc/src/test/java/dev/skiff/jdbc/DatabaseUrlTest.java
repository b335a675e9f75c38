package dev.skiff.jdbc;

import dev.skiff.jdbc.internal.DatabaseUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

    @Test
    void turnsAHerokuStyleUrlIntoAJdbcUrlWithTheCredentialsApart() {
        var url = DatabaseUrl.parse("postgres://notes:s3cr%40t%2Fx@db.internal:6543/notes?sslmode=require&connectTimeout=5");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:6543/notes?sslmode=require&connectTimeout=5");
        assertThat(url.user()).contains("notes");
        assertThat(url.password().orElseThrow().reveal()).isEqualTo("s3cr@t/x");
        assertThat(url.toString()).isEqualTo("jdbc:postgresql://db.internal:6543/notes?sslmode=require&connectTimeout=5 as notes")
                .doesNotContain("s3cr");
    }

    @Test
    void defaultsThePortAndAcceptsThePostgresqlSchemeIpv6AndSeveralHosts() {
        assertThat(DatabaseUrl.parse("postgresql://db/app").jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(DatabaseUrl.parse("POSTGRES://u@[::1]/app").jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432/app");
        assertThat(DatabaseUrl.parse("postgres://u:p@a:5433,b/app").jdbcUrl())
                .isEqualTo("jdbc:postgresql://a:5433,b:5432/app");
        assertThat(DatabaseUrl.parse("postgres://db/app").user()).isEmpty();
        assertThat(DatabaseUrl.parse("postgres://u@db/app").password()).isEmpty();
    }

    @Test
    void keepsPasswordsWithAtSignsSlashesPlusSignsAndNonAscii() {
        assertThat(DatabaseUrl.parse("postgres://u:p@ss/w+rd@db/app").password().orElseThrow().reveal())
                .isEqualTo("p@ss/w+rd");
        assertThat(DatabaseUrl.parse("postgres://u:%E2%9C%93%F0%9F%94%91ü@db/app").password().orElseThrow().reveal())
                .isEqualTo("✓🔑ü");
        assertThat(DatabaseUrl.parse("postgres://u:p@ss/w+rd@db/app").jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app");
    }

    @Test
    void passesAJdbcUrlThroughAsItIs() {
        var url = DatabaseUrl.parse("jdbc:postgresql://db:5432/app?ssl=true");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?ssl=true");
        assertThat(url.user()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "db:5432/app", "mysql://u:hunter2@db/app", "postgres://u:hunter2@/app",
            "postgres://u:hunter2@db", "postgres://u:hunter2@db:99999/app", "postgres://u:hunter2@db:port/app",
            "postgres://u:hunter2", "postgres://u:hunt%2er%zz@db/app", "postgres://u:hunter2@[::1/app"})
    void rejectsAMalformedUrlWithoutEchoingThePassword(String bad) {
        assertThatThrownBy(() -> DatabaseUrl.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                .message().doesNotContain("hunter2").doesNotContain("hunt").isNotBlank();
    }

    @Test
    void namesWhatIsWrong() {
        assertThatThrownBy(() -> DatabaseUrl.parse("mysql://u:p@db/app"))
                .hasMessageContaining("has the scheme mysql").hasMessageContaining("use postgres://");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:p@db"))
                .hasMessage("names no database: add it after the host, as in postgres://user:password@db/database");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:p@db:0/app"))
                .hasMessage("has a port after host db that is not a number from 1 to 65535");
        assertThatThrownBy(() -> DatabaseUrl.parse("postgres://u:a%zz@db/app"))
                .hasMessage("has an invalid percent-escape in the password at character 2: write a '%' as %25");
    }

    @Test
    void takesTheUserAndPasswordOfAJdbcUrlApartAndMasksEveryOtherPassword() {
        var url = DatabaseUrl.parse("jdbc:postgresql://db:5432/app?user=notes&password=X%2By+z&ssl=true&sslpassword=K3y");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?ssl=true&sslpassword=K3y");
        assertThat(url.user()).contains("notes");
        assertThat(url.password().orElseThrow().reveal()).isEqualTo("X+y z");
        assertThat(url.toString()).isEqualTo("jdbc:postgresql://db:5432/app?ssl=true&sslpassword=****** as notes")
                .doesNotContain("X").doesNotContain("K3y");
    }

    @Test
    void aQueryParameterMayHoldAnAtSign() {
        var url = DatabaseUrl.parse("postgres://u:p@ss@db/app?application_name=ops@example");

        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?application_name=ops@example");
        assertThat(url.password().orElseThrow().reveal()).isEqualTo("p@ss");
    }

    @Test
    void aPasswordMayHoldEveryCharacterThatSeparatesUrlParts() {
        var hash = DatabaseUrl.parse("postgres://app:Xk9@pQ#r2Zt@127.0.0.1:1/notes");
        assertThat(hash.password().orElseThrow().reveal()).isEqualTo("Xk9@pQ#r2Zt");
        assertThat(hash.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:1/notes");

        var query = DatabaseUrl.parse("postgres://app:p@ss/w:rd?#xq@127.0.0.1:1/notes");
        assertThat(query.password().orElseThrow().reveal()).isEqualTo("p@ss/w:rd?#xq");
        assertThat(query.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:1/notes");
    }

    @Test
    void aJdbcUrlsOwnUserInfoAndEveryPasswordParameterAreMaskedWhenShown() {
        assertThat(DatabaseUrl.parse("jdbc:postgresql://app:s3cretpw@127.0.0.1:1/notes").toString())
                .isEqualTo("jdbc:postgresql://app:******@127.0.0.1:1/notes");
        assertThat(DatabaseUrl.parse("jdbc:h2:mem:notes;PASSWORD=h2secretpw;DB_CLOSE_DELAY=-1").toString())
                .doesNotContain("h2secretpw");
    }
}
