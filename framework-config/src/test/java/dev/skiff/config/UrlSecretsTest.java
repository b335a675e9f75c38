package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The secrets of URLs, however their passwords are written, and the URLs shown without them. */
class UrlSecretsTest {

    @Test
    void aPasswordWithAnyCharacterIsFoundWhole() {
        for (String password : new String[] {"p@ssw0rd", "Xk9@pQ#r2Zt", "Xk9@pQ;r2Zt", "p@ss/w:rd?#xq", "plain-pw"}) {
            String url = "postgres://app:" + password + "@127.0.0.1:5432/notes";
            assertThat(UrlSecrets.of(url)).as(url).contains(password);
            assertThat(UrlSecrets.masked(url)).as(url).isEqualTo("postgres://app:******@127.0.0.1:5432/notes");
        }
    }

    @Test
    void anAtSignInAQueryParameterMasksMoreRatherThanLess() {
        String url = "postgres://u:p@ss@db/app?application_name=ops@example";
        assertThat(UrlSecrets.of(url)).contains("p@ss");
        assertThat(UrlSecrets.masked(url)).doesNotContain("p@ss").doesNotContain("ss@db");
    }

    @Test
    void passwordParametersOfJdbcUrlsWithOrWithoutSlashes() {
        assertThat(UrlSecrets.of("jdbc:postgresql://db/notes?user=u&password=X%2By&sslpassword=K3y"))
                .contains("X%2By", "X+y", "K3y");
        assertThat(UrlSecrets.masked("jdbc:postgresql://db/notes?user=u&password=se;cretpart&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/notes?user=u&password=******&ssl=true");
        assertThat(UrlSecrets.of("jdbc:h2:mem:notes;PASSWORD=h2secretpw;DB_CLOSE_DELAY=-1")).contains("h2secretpw");
        assertThat(UrlSecrets.masked("jdbc:h2:mem:notes;PASSWORD=h2secretpw;DB_CLOSE_DELAY=-1"))
                .doesNotContain("h2secretpw");
    }

    @Test
    void aUrlWithoutSecretsIsShownAsItIs() {
        assertThat(UrlSecrets.of("https://example.com/a?b=c")).isEmpty();
        assertThat(UrlSecrets.masked("postgres://app@db:5432/notes")).isEqualTo("postgres://app@db:5432/notes");
        assertThat(UrlSecrets.of("not a url at all")).isEmpty();
    }

    @Test
    void theCredentialsABackingServiceUrlIsRefusedForAreMaskedToo() {
        // What serve and check refuse ("url must not hold credentials"), config does not print.
        assertThat(UrlSecrets.masked("http://ghpCanaryUserTok1234@127.0.0.1:9/")).isEqualTo("http://******@127.0.0.1:9/");
        assertThat(UrlSecrets.of("http://ghpCanaryUserTok1234@127.0.0.1:9/")).contains("ghpCanaryUserTok1234");
        assertThat(UrlSecrets.masked("http://127.0.0.1:9/?apikey=CanaryQuery999")).isEqualTo("http://127.0.0.1:9/?apikey=******");
        assertThat(UrlSecrets.masked("https://h/x?access_token=T0k3nValue&page=2")).isEqualTo("https://h/x?access_token=******&page=2");
        assertThat(UrlSecrets.masked("https://h/x?client_secret=S3cr3t")).isEqualTo("https://h/x?client_secret=******");
        assertThat(UrlSecrets.masked("wss://T0kenUser@h/socket")).isEqualTo("wss://******@h/socket");
        assertThat(UrlSecrets.masked("git+https://T0kenUser@h/repo.git")).isEqualTo("git+https://******@h/repo.git");
        assertThat(UrlSecrets.masked("redis://app@cache:6379/0")).isEqualTo("redis://app@cache:6379/0");
    }
}
