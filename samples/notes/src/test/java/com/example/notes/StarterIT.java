package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The starter as a user runs it: generate a new service from this sample, build it on its own
 * (with its tests) and run the jar. Needs Skiff's modules in the local repository, which the
 * README's test command (mvn install) puts there before this module's tests run.
 */
class StarterIT {

    private static final Path STARTER = Path.of("../../starter/new-service.sh");

    private static String run(Path dir, long timeoutSeconds, String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s:\n" + output);
        }
        assertThat(process.exitValue()).as(String.join(" ", command) + " exit status; output:\n" + output).isZero();
        return output;
    }

    private static String maven() {
        String home = System.getenv("MAVEN_HOME");
        return home != null && new File(home, "bin/mvn").canExecute() ? home + "/bin/mvn" : "mvn";
    }

    @Test
    void generatesAServiceThatBuildsTestsAndRunsOnItsOwn(@TempDir Path work) throws Exception {
        String created = run(Path.of("."), 60, "bash", STARTER.toString(), work.resolve("orders").toString(),
                "com.acme", "orders", "com.acme.orders");
        assertThat(created).contains("Created orders in");
        Path project = work.resolve("orders");
        assertThat(project.resolve("src/main/java/com/acme/orders/NotesApp.java")).exists();
        assertThat(Files.readString(project.resolve("pom.xml"))).contains("<artifactId>orders</artifactId>")
                .contains("<groupId>com.acme</groupId>").doesNotContain("../../pom.xml");
        assertThat(project.resolve("src/test/java/com/acme/orders/DocsSnippetsTest.java")).doesNotExist();
        assertThat(project.resolve("src/test/java/com/acme/orders/StarterIT.java")).doesNotExist();

        // Offline: everything it needs is what this build already has; its own unit tests run.
        run(project, 600, maven(), "-B", "-q", "-o", "package");

        String java = ProcessHandle.current().info().command().orElse("java");
        String help = run(project, 60, java, "-jar", "target/orders.jar", "--help");
        assertThat(help).contains("Usage: java -jar orders.jar").contains("migrate").contains("worker");
        assertThat(List.of(Files.readString(project.resolve("Procfile")).split("\n")))
                .contains("web: java -jar target/orders.jar", "release: java -jar target/orders.jar migrate");
    }
}
