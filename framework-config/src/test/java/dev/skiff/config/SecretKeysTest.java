package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which names say secret: a word of the name, not a few letters inside one. */
class SecretKeysTest {

    @Test
    void aKeyLooksSecretByAWordOfItsLastPart() {
        assertThat(SecretKeys.looksSecret("notes.api-token")).isTrue();
        assertThat(SecretKeys.looksSecret("database.password")).isTrue();
        assertThat(SecretKeys.looksSecret("oauth.client-secret")).isTrue();
        assertThat(SecretKeys.looksSecret("payments.signing-key")).isTrue();
        assertThat(SecretKeys.looksSecret("legacy.dbpassword")).isTrue();
        assertThat(SecretKeys.looksSecret("s3.credentials")).isTrue();
        assertThat(SecretKeys.looksSecret("auth.api-keys")).as("a list of them").isTrue();
        assertThat(SecretKeys.looksSecret("auth.tokens")).isTrue();
        assertThat(SecretKeys.looksSecret("client.secrets")).isTrue();

        assertThat(SecretKeys.looksSecret("store.keyspace")).isFalse();
        assertThat(SecretKeys.looksSecret("cache.max-keys")).as("a setting about keys").isFalse();
        assertThat(SecretKeys.looksSecret("auth.token-ttl")).isFalse();
        assertThat(SecretKeys.looksSecret("tls.key-file")).as("where it is, not what it is").isFalse();
        assertThat(SecretKeys.looksSecret("zoo.keeper-count")).isFalse();
        assertThat(SecretKeys.looksSecret("password.min-length")).as("only the last part counts").isFalse();
    }

    @Test
    void aVariableIsSecretByItsLastWord() {
        assertThat(SecretKeys.namesSecret("NOTES_API_TOKEN")).isTrue();
        assertThat(SecretKeys.namesSecret("AWS_SECRET_ACCESS_KEY")).isTrue();
        assertThat(SecretKeys.namesSecret("MY_CREDENTIALS")).isTrue();
        assertThat(SecretKeys.namesSecret("FEATURE_TOKEN_AUTH")).isFalse();
        assertThat(SecretKeys.namesSecret("MAX_KEYS")).isFalse();
    }

    @Test
    void switchesAndShortValuesAreNotSecretsEvenUnderASecretName() {
        assertThat(SecretKeys.couldBeSecret("k3y-v4lue")).isTrue();
        assertThat(SecretKeys.couldBeSecret("8402957716")).as("a long number can be a secret").isTrue();
        assertThat(SecretKeys.couldBeSecret("true")).isFalse();
        assertThat(SecretKeys.couldBeSecret("OFF")).isFalse();
        assertThat(SecretKeys.couldBeSecret("abc")).isFalse();
        assertThat(SecretKeys.couldBeSecret("8")).isFalse();
    }
}
