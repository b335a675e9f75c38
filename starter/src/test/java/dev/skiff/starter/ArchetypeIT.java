package dev.skiff.starter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archetype as a user runs it: generate a service outside this repository, then follow the
 * generated project's own README (its test command, its run command) and build its jar the way its
 * Dockerfile does. Runs against the Skiff modules and the archetype in the local repository, which
 * the README's test command (mvn install) puts there; Maven runs offline, so nothing is fetched.
 */
class ArchetypeIT {

    private static final String VERSION = System.getProperty("skiff.version", "0.1.0-SNAPSHOT");
    private static final String ARCHETYPE_PLUGIN = System.getProperty("archetype.plugin",
            "org.apache.maven.plugins:maven-archetype-plugin:3.4.1");
    private static final String LOCAL_REPOSITORY = System.getProperty("maven.repo.local",
            System.getProperty("user.home") + "/.m2/repository");
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");

    @Test
    void generatesAServiceThatBuildsTestsAndRunsFromItsOwnReadme(@TempDir Path work) throws Exception {
        run(work, 300, true, maven() + " " + ARCHETYPE_PLUGIN + ":generate -DarchetypeGroupId=dev.skiff"
                + " -DarchetypeArtifactId=service-archetype -DarchetypeVersion=" + VERSION
                + " -DgroupId=com.acme -DartifactId=orders -Dversion=1.0.0-SNAPSHOT -Dpackage=com.acme.orders"
                + " -DinteractiveMode=false");
        Path project = work.resolve("orders");

        String pom = Files.readString(project.resolve("pom.xml"));
        assertThat(pom).contains("<artifactId>service-parent</artifactId>", "<version>" + VERSION + "</version>",
                        "<groupId>com.acme</groupId>", "<artifactId>orders</artifactId>",
                        "<version>1.0.0-SNAPSHOT</version>", "<main.class>com.acme.orders.Main</main.class>",
                        "<finalName>orders</finalName>", "<relativePath/>")
                .doesNotContain("../../", "skiff-parent", "com.example", "starter", "h2database");
        assertThat(project.resolve("src/main/java/com/acme/orders/Main.java")).content()
                .startsWith("package com.acme.orders;").contains("bind(\"orders\", Settings.class)");
        assertThat(project.resolve("src/test/java/com/acme/orders/MainTest.java")).content().contains("ORDERS_API_TOKEN");
        assertThat(project.resolve("src/main/resources/application.conf")).content().contains("\norders {", "name = orders");
        assertThat(project.resolve(".env.example")).content().contains("ORDERS_API_TOKEN=");
        // A skeleton to read in five minutes, not a sample to take apart.
        try (Stream<Path> sources = Files.walk(project.resolve("src"))) {
            long javaLines = 0;
            for (Path file : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                javaLines += Files.readAllLines(file).size();
            }
            assertThat(javaLines).as("lines of Java in the generated project").isLessThan(400);
        }
        assertThat(project.resolve(".gitignore")).content().contains("target/", ".env");
        assertThat(project.resolve(".dockerignore")).content().contains("target/", ".env");
        assertThat(project.resolve("deploy/kubernetes/orders.yaml")).content()
                .contains("image: orders:", "app: orders", "ORDERS_API_TOKEN:").doesNotContain("starter", "STARTER");
        assertThat(project.resolve("Procfile")).content()
                .contains("web: java -XX:+DisplayVMOutputToStderr -Xlog:disable -Xlog:all=warning:stderr -XX:TrimNativeHeapInterval=5000 -XX:AOTCache=target/orders.aot -jar target/orders.jar");
        try (Stream<Path> files = Files.walk(project)) {
            // Every Velocity reference was resolved: none is left for the user to trip on.
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file.toString())
                        .doesNotContain("${package}", "${artifactId}", "${groupId}", "${packageInPathFormat}")
                        .as("the skeleton's own name, left in " + file).doesNotContainIgnoringCase("starter");
            }
        }

        // The advisory check: a service that pulls a known-vulnerable version does not build. (Maven may
        // fetch that old version's pom here: it is not part of Skiff's build.)
        Path vulnerable = work.resolve("vulnerable");
        copy(project, vulnerable, List.of("target", ".env"));
        Files.writeString(vulnerable.resolve("pom.xml"), pom.replaceFirst("<dependencies>", "<dependencies>\n"
                + "    <dependency><groupId>ch.qos.logback</groupId><artifactId>logback-core</artifactId>"
                + "<version>1.5.18</version></dependency>"));
        String refused = run(vulnerable, 300, false, maven().replace(" -o ", " ") + " -B validate");
        assertThat(refused).contains("published vulnerability", "ch.qos.logback:logback-core:jar:1.5.18");

        // The README's own commands, as written (with Maven kept offline and on this build's repository).
        String readme = Files.readString(project.resolve("README.md"));
        // In a repository with no commit yet, as right after git init: the commit is "unknown".
        run(project, 60, true, "git init -q");
        run(project, 900, true, offline(command(readme, "test-command")));
        assertThat(project.resolve("target/classes/META-INF/skiff/build-info.properties")).content()
                .contains("commit=unknown");
        assertThat(project.resolve("target/orders.jar")).exists();
        assertThat(project.resolve("target/failsafe-reports")).isNotEmptyDirectory();
        // The parent's AOT step, on by default: the build wrote the cache the Procfile's command reads,
        // and a JVM told to use it or fail (AOTMode=on) starts with it.
        assertThat(project.resolve("target/orders.aot")).isNotEmptyFile();
        assertThat(run(project, 60, true, JAVA + " -XX:AOTCache=target/orders.aot -XX:AOTMode=on -jar target/orders.jar --help"))
                .contains("Usage: java -jar orders.jar");
        runsAndAnswers(project, command(readme, "run-command"));

        // A process type the Procfile names and the code does not define fails the service's own build,
        // naming the file and line.
        String procfile = Files.readString(project.resolve("Procfile"));
        Files.writeString(project.resolve("Procfile"), procfile
                + "worker: java -XX:+DisplayVMOutputToStderr -jar target/orders.jar worker\n");
        assertThat(run(project, 900, false, offline(command(readme, "test-command"))))
                .contains("Procfile:2 runs \"worker\", which the code does not define");
        Files.writeString(project.resolve("Procfile"), procfile);
        // -Dskiff.aot=false skips the step, and deletes the cache of the jar before: a JVM may use a
        // cache made with another jar as it is.
        assertThat(project.resolve("target/orders.aot")).isNotEmptyFile();
        assertThat(run(project, 300, true, maven() + " -B package -DskipTests -Dskiff.aot=false"))
                .doesNotContain("training run");
        assertThat(project.resolve("target/orders.aot")).doesNotExist();
        // A training run that cannot start the service (a setting the build's environment gets wrong)
        // leaves no cache and says why; the build goes on.
        String untrained = run(project, 300, true, "LOG_LEVEL=loud " + maven() + " -B package -DskipTests");
        assertThat(untrained).contains("No AOT cache: the training run (java -jar target/orders.jar train) exited 78",
                "LOG_LEVEL", "-Dskiff.aot=false");
        assertThat(project.resolve("target/orders.aot")).doesNotExist();

        // The Dockerfile's build stage, in a copy of the build context without what .dockerignore leaves out.
        String dockerfile = Files.readString(project.resolve("Dockerfile"));
        Path context = work.resolve("context");
        copy(project, context, List.of("target", ".env"));
        run(context, 600, true, offline(line(dockerfile, "^RUN (mvn .*)$")));
        Matcher copied = Pattern.compile("(?m)^COPY --from=build /src/(\\S+) /app/(\\S+)$").matcher(dockerfile);
        assertThat(copied.find()).as("the Dockerfile copies the jar from its build stage").isTrue();
        Path app = work.resolve("app");
        Files.createDirectories(app);
        Files.copy(context.resolve(copied.group(1)), app.resolve(copied.group(2)));
        // ...and the image's training run, which writes the AOT cache next to the jar.
        String training = line(dockerfile.replace("\\\n", " "), "^RUN (.*-XX:AOTCacheOutput=.*)$").replace("/app/", app + "/");
        run(app, 300, true, training);
        assertThat(app.resolve("orders.aot")).isNotEmptyFile();

        // The same service built without service-parent, importing only framework-bom
        // (docs/getting-started.md quotes that pom): its jar starts and knows its commands.
        Path bomOnly = work.resolve("bom-only");
        copy(project, bomOnly, List.of("target", ".env"));
        try (var pomOnly = ArchetypeIT.class.getResourceAsStream("/bom-only/pom.xml")) {
            Files.write(bomOnly.resolve("pom.xml"), pomOnly.readAllBytes());
        }
        run(bomOnly, 600, true, maven() + " -B -q package -Dmaven.test.skip=true");
        assertThat(run(bomOnly, 60, true, JAVA + " -jar target/orders.jar --help"))
                .contains("Usage: java -jar orders.jar", "serve", "train");
    }

    /** Starts the README's run command on a free port, asks it something, and stops it with SIGTERM. */
    private static void runsAndAnswers(Path project, String command) throws Exception {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        // exec: the service is the process, so that SIGTERM reaches it as it would under a supervisor.
        var builder = new ProcessBuilder("bash", "-c", command.replace("java -jar", "exec " + JAVA + " -jar"))
                .directory(project.toFile()).redirectErrorStream(true);
        builder.environment().put("PORT", Integer.toString(port));
        builder.redirectOutput(project.resolve("run.log").toFile());
        Process process = builder.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            HttpResponse<String> ready = null;
            while (System.nanoTime() < deadline && process.isAlive()) {
                try {
                    ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (ready.statusCode() == 200) {
                        break;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(100);
            }
            assertThat(ready).as("readiness; output:\n" + Files.readString(project.resolve("run.log"))).isNotNull();
            assertThat(ready.statusCode()).isEqualTo(200);
            // The token the run command's .env gives, as the README's curl sends it.
            String token = line(Files.readString(project.resolve(".env")), "^ORDERS_API_TOKEN=(.*)$");
            HttpResponse<String> hello = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello?name=you"))
                            .header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hello.statusCode()).as(hello.body()).isEqualTo(200);
            assertThat(hello.body()).contains("you");
            process.destroy(); // SIGTERM
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("exit status after SIGTERM").isZero();
            assertThat(project.resolve(".env")).exists();
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String command(String readme, String marker) {
        return line(readme.substring(readme.indexOf("<!-- " + marker + " -->")), "^```sh\\n(.*)$");
    }

    private static String line(String text, String regex) {
        Matcher matcher = Pattern.compile(regex, Pattern.MULTILINE).matcher(text);
        assertThat(matcher.find()).as("a line matching " + regex + " in:\n" + text).isTrue();
        return matcher.group(1).trim();
    }

    private static String offline(String command) {
        assertThat(command).startsWith("mvn ");
        return maven() + command.substring("mvn".length());
    }

    private static String maven() {
        String home = System.getenv("MAVEN_HOME");
        String mvn = home != null && new File(home, "bin/mvn").canExecute() ? home + "/bin/mvn" : "mvn";
        return mvn + " -o -Dmaven.repo.local=" + LOCAL_REPOSITORY;
    }

    private static void copy(Path from, Path to, List<String> leftOut) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path relative = from.relativize(file);
                if (!relative.toString().isEmpty() && leftOut.contains(relative.getName(0).toString())) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    /** Runs a shell command; {@return its last 200 lines of output} */
    private static String run(Path dir, long timeoutSeconds, boolean succeeds, String command) throws Exception {
        var builder = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).redirectErrorStream(true);
        Path log = Files.createTempFile("archetype-it", ".log");
        builder.redirectOutput(log.toFile());
        Process process = builder.start();
        try {
            boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            List<String> tail = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
            String output = String.join("\n", tail.subList(Math.max(0, tail.size() - 200), tail.size()));
            assertThat(finished).as(command + " finished in " + timeoutSeconds + " s; output:\n" + output).isTrue();
            if (succeeds) {
                assertThat(process.exitValue()).as(command + " exit status; output:\n" + output).isZero();
            } else {
                assertThat(process.exitValue()).as(command + " exit status; output:\n" + output).isNotZero();
            }
            return output;
        } finally {
            // Maven and the JVMs it started, not only the shell: nothing outlives the test.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Files.deleteIfExists(log);
        }
    }
}
