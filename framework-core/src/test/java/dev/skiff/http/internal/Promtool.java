package dev.skiff.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Prometheus's own checker ({@code promtool}, Debian package {@code prometheus}). Without it the
 * check is skipped on a developer's machine; under CI ({@code CI} set, as {@code .ci/run} does) it
 * is required.
 */
final class Promtool {

    record Check(int exitCode, String output) {}

    private Promtool() {}

    static Check checkMetrics(String exposition) throws IOException, InterruptedException {
        boolean installed = System.getenv("PATH") != null && java.util.Arrays.stream(
                System.getenv("PATH").split(java.io.File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "promtool")));
        if (System.getenv("CI") != null) {
            assertThat(installed).as("promtool on the PATH (apt-get install prometheus)").isTrue();
        }
        assumeTrue(installed, "promtool is not installed (apt-get install prometheus)");
        Path input = Files.createTempFile("metrics", ".txt");
        try {
            Files.writeString(input, exposition);
            Process process = new ProcessBuilder("promtool", "check", "metrics")
                    .redirectInput(input.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("promtool did not finish in 30 s");
            }
            return new Check(process.exitValue(), output);
        } finally {
            Files.deleteIfExists(input);
        }
    }
}
