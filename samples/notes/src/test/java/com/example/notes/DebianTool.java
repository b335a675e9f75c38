package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A tool from a Debian package that a test runs (yamllint, promtool, prometheus). Without it the
 * test is skipped on a developer's machine; under CI ({@code CI} set, as {@code .ci/run} does) it
 * is required.
 */
final class DebianTool {

    /** What a run of the tool printed, stdout and stderr together, and its exit status. */
    record Run(int exitCode, String output) {}

    private DebianTool() {}

    /** Skips the calling test unless {@code command} is on the PATH; fails it under CI instead. */
    static void require(String command, String debianPackage) {
        boolean installed = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
        String install = command + " on the PATH (apt-get install " + debianPackage + ")";
        if (System.getenv("CI") != null) {
            assertThat(installed).as(install).isTrue();
        }
        assumeTrue(installed, install);
    }

    /** Runs {@code command} in {@code directory} to its end, within a minute. */
    static Run run(Path directory, String... command) throws IOException, InterruptedException {
        require(command[0], command[0].startsWith("prom") ? "prometheus" : command[0]);
        Process process = new ProcessBuilder(List.of(command)).directory(directory.toAbsolutePath().toFile())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 60 s:\n" + output);
        }
        return new Run(process.exitValue(), output);
    }
}
