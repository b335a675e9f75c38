package dev.skiff.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code X_FILE=/run/secrets/x}: the value of X from a file, as Docker and Kubernetes mount secrets. */
class SecretFilesTest {

    record Http(String host, int port) {}

    record Vendor(Secret apiToken) {}

    @TempDir
    Path dir;

    private Path secret(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content);
    }

    private Configuration load(Map<String, String> env) {
        return Configuration.load(env, Map.of(), dir);
    }

    @Test
    void aKeyIsReadFromTheFileItsVariableNamesWithOneTrailingNewlineDropped() throws Exception {
        Path port = secret("port", "9000\n");
        Path host = secret("host", "127.0.0.1\r\n");

        Configuration config = load(Map.of("HTTP_PORT_FILE", port.toString(), "HTTP_HOST_FILE", host.toString()));

        assertThat(config.bind("http", Http.class)).isEqualTo(new Http("127.0.0.1", 9000));
        assertThat(config.entries()).filteredOn(entry -> entry.key().equals("http.port"))
                .extracting(ConfigEntry::origin).containsExactly("file " + port + " (env var HTTP_PORT_FILE)");
    }

    @Test
    void onlyOneNewlineIsDroppedAndAnAliasWorksWithFileToo() throws Exception {
        Path port = secret("port", "7001");
        Path token = secret("token", "line one\nline two\n\n");

        Configuration config = load(Map.of("PORT_FILE", port.toString(), "VENDOR_TOKEN_FILE", token.toString()));

        assertThat(config.bind("http", Http.class).port()).isEqualTo(7001);
        // The value keeps its own last newline; binding then trims it, as it trims every value.
        assertThat(config.secretValues()).contains("line one\nline two\n");
        assertThat(config.bind("vendor", Vendor.class).apiToken().reveal()).isEqualTo("line one\nline two");
    }

    @Test
    void aRecordKeyNoFileDeclaresIsReadFromAFileWhenTheRecordIsBound() throws Exception {
        record Notes(Secret apiToken) {}
        Path token = secret("notes-token", "s3cr3t-notes-token\n");

        Notes notes = load(Map.of("NOTES_API_TOKEN_FILE", token.toString())).bind("notes", Notes.class);

        assertThat(notes.apiToken().reveal()).isEqualTo("s3cr3t-notes-token");
    }

    @Test
    void everyValueReadFromAFileIsASecretFromTheMomentTheConfigurationLoads() throws Exception {
        Path url = secret("db", "postgres://app:pa55word@db:5432/app\n");
        Path plain = secret("greeting", "hello-from-a-file\n");

        Configuration config = load(Map.of("DATABASE_URL_FILE", url.toString(), "SHOP_NAME_FILE", plain.toString()));

        assertThat(config.secretValues()).contains("postgres://app:pa55word@db:5432/app", "pa55word",
                "hello-from-a-file");
        assertThat(config.describe()).doesNotContain("pa55word").doesNotContain("hello-from-a-file");
        assertThat(config.warnings()).noneMatch(warning -> warning.contains("_FILE"));
    }

    @Test
    void aMissingFileNamesTheFileAndTheVariable() {
        Path missing = dir.resolve("no-such-secret");

        assertThatThrownBy(() -> load(Map.of("HTTP_PORT_FILE", missing.toString())).bind("http", Http.class))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::key, ConfigProblem::envVar, ConfigProblem::origin)
                        .containsExactly(tuple("http.port", "HTTP_PORT_FILE", "env var HTTP_PORT_FILE = " + missing)))
                .hasMessageContaining("the file " + missing + " named by HTTP_PORT_FILE does not exist")
                .hasMessageContaining("mount the secret there or correct HTTP_PORT_FILE");
    }

    @Test
    void anEmptyFileIsAProblemNotAnEmptyValue() throws Exception {
        Path empty = secret("empty", "\n");

        assertThatThrownBy(() -> load(Map.of("HTTP_HOST_FILE", empty.toString())).bind("http", Http.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the file " + empty + " named by HTTP_HOST_FILE is empty")
                .hasMessageContaining("put the value of HTTP_HOST in it");
    }

    @Test
    void aDirectoryOrAFileThatCannotBeReadIsAProblem() throws Exception {
        assertThatThrownBy(() -> load(Map.of("HTTP_HOST_FILE", dir.toString())).bind("http", Http.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining(dir + " named by HTTP_HOST_FILE is not a regular file");
        // A regular file whose read fails (EIO at offset 0), as an unreadable mount does.
        Path unreadable = Path.of("/proc/self/mem");
        Assumptions.assumeTrue(Files.isRegularFile(unreadable), "needs Linux's /proc");
        assertThatThrownBy(() -> load(Map.of("HTTP_HOST_FILE", unreadable.toString())).bind("http", Http.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("the file /proc/self/mem named by HTTP_HOST_FILE cannot be read");
    }

    @Test
    void aFileThisProcessMayNotReadSaysSo() throws Exception {
        Path locked = secret("locked", "secret\n");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Assumptions.assumeFalse(Files.isReadable(locked), "root reads every file");

        assertThatThrownBy(() -> load(Map.of("HTTP_HOST_FILE", locked.toString())).bind("http", Http.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("cannot be read by this process (permission denied)");
    }

    @Test
    void settingBothTheValueAndItsFileIsAProblem() throws Exception {
        Path port = secret("port", "9000\n");

        assertThatThrownBy(() -> load(Map.of("HTTP_PORT", "9000", "HTTP_PORT_FILE", port.toString()))
                        .bind("http", Http.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("both HTTP_PORT and HTTP_PORT_FILE are set; set only one");
    }

    @Test
    void aSecretPutInTheFileVariableItselfIsNeverEchoed() {
        assertThatThrownBy(() -> load(Map.of("VENDOR_TOKEN_FILE", "s3cr3t-token-value")).bind("vendor", Vendor.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("VENDOR_TOKEN_FILE does not hold a file path")
                .hasMessageNotContaining("s3cr3t-token-value");
    }

    @Test
    void aValueFromAFileThatDoesNotConvertIsNotShownAndTheReportNamesTheFileVariable() throws Exception {
        Path port = secret("port", "not-a-port-but-a-secret\n");

        assertThatThrownBy(() -> load(Map.of("HTTP_PORT_FILE", port.toString())).bind("http", Http.class))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> assertThat(e.problems())
                        .extracting(ConfigProblem::envVar).containsExactly("HTTP_PORT_FILE"))
                .hasMessageContaining("a value that is not shown because it is secret")
                .hasMessageNotContaining("not-a-port-but-a-secret");
    }

    @Test
    void aFileThatSetsNoKeyIsNeitherReadIntoTheConfigurationNorTakenForASecret() throws Exception {
        Path version = secret("version", "1.4.2-build-77\n");

        Configuration config = load(Map.of("VERSION_FILE", version.toString()));

        assertThat(config.secretValues()).doesNotContain("1.4.2-build-77");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheValue() throws Exception {
        Path host = secret("host", "\uFEFFlocalhost\n");

        assertThat(load(Map.of("HTTP_HOST_FILE", host.toString())).bind("http", Http.class).host()).isEqualTo("localhost");
    }

    @Test
    void aVariableEndingInFileThatSetsNoKeyStopsNothing() {
        Configuration config = load(Map.of("KUBECONFIG_FILE", dir.resolve("absent").toString(), "UNRELATED_FILE", ""));

        assertThat(config.bind("http", Http.class)).isEqualTo(new Http("0.0.0.0", 8080));
    }

    @Test
    void aHugeFileIsNotTakenForASecret() throws Exception {
        Path big = secret("big", "x".repeat(SecretFiles.MAX_BYTES + 1));

        assertThatThrownBy(() -> load(Map.of("HTTP_HOST_FILE", big.toString())).bind("http", Http.class))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("is larger than 64 KiB");
    }

    @Test
    void aRelativePathIsReadFromTheWorkingDirectoryAndDotEnvMayNameAFile() throws Exception {
        secret("port", "7002\n");
        Files.writeString(dir.resolve(".env"), "HTTP_PORT_FILE=./port\n");

        assertThat(load(Map.of()).bind("http", Http.class).port()).isEqualTo(7002);
    }
}
