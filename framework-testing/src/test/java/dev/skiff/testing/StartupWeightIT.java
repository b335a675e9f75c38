package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a serving process leaves out until it is needed, in a real child JVM: jackson-databind (about
 * 500 classes) while its answers are of plain shapes, and XNIO's MBeans, which would make the JVM
 * build its platform MBean server at startup.
 */
class StartupWeightIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void plainJsonAnswersLoadNoDatabindAndXnioBuildsNoMBeanServer(@TempDir Path dir) throws Exception {
        Path classes = dir.resolve("classes.log");
        try (var app = AppProcess.startClass(LightApp.class,
                Map.of("PORT", "0", "JAVA_TOOL_OPTIONS", "-Xlog:class+load:file=" + classes));
             var client = HttpClient.newHttpClient()) {
            URI base = app.awaitListening(WAIT);
            HttpResponse<String> note = client.send(HttpRequest.newBuilder(base.resolve("/note")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(note.body()).isEqualTo("{\"text\":\"hi\",\"at\":\"1970-01-01T00:00:00Z\",\"tag\":null,\"labels\":[\"a\"]}");
            assertThat(loaded(classes)).as("classes loaded by a service answering plain JSON")
                    .doesNotContain("com.fasterxml.jackson.databind.ObjectMapper", "com.sun.jmx.mbeanserver.JmxMBeanServer");

            // Asked for later, the platform MBean server is there as usual, only without XNIO's MBeans.
            HttpResponse<String> jmx = client.send(HttpRequest.newBuilder(base.resolve("/jmx")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(jmx.body()).contains("\"runtime\":true").contains("\"xnio\":0");

            // A body to read loads the mapper then, and reads it as the docs say.
            HttpResponse<String> posted = client.send(HttpRequest.newBuilder(base.resolve("/notes"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"t\",\"at\":\"2026-12-06T10:15:30Z\",\"labels\":[]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(posted.statusCode()).isEqualTo(200);
            assertThat(posted.body()).isEqualTo("{\"text\":\"t\",\"at\":\"2026-12-06T10:15:30Z\",\"tag\":null,\"labels\":[]}");
            assertThat(loaded(classes)).contains("com.fasterxml.jackson.databind.ObjectMapper");
        }
    }

    @Test
    void anotherThreadAskingForThePlatformMBeanServerMeanwhileGetsIt() {
        try (var app = AppProcess.startClass(MBeanRaceApp.class, Map.of())) {
            assertThat(app.awaitExit(WAIT)).isEqualTo(0);
            assertThat(app.stdoutLines()).contains("the other thread got: a server");
        }
    }

    /** {@return the classes the JVM's class-load log names: "[0.1s][info][class,load] NAME source: …"} */
    private static Set<String> loaded(Path log) throws IOException {
        try (var lines = Files.lines(log)) {
            return lines.map(line -> line.split(" ")).filter(words -> words.length > 1).map(words -> words[1])
                    .collect(Collectors.toSet());
        }
    }
}
