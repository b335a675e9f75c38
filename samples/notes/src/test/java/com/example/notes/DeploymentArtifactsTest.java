package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.skiff.config.Configuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile, the Kubernetes manifests and the Procfile, checked against the code: no Docker
 * engine or cluster is needed to know that a probe points at the right path or that the grace
 * period leaves the shutdown its budget.
 */
class DeploymentArtifactsTest {

    /** What Skiff keeps inside the kill window after its shutdown budget, for logging and exit. */
    private static final Duration EXIT_MARGIN = Duration.ofSeconds(2);
    /** The service's name in the manifests (the starter sets it to a new service's). */
    private static final String APP = "notes";
    private static final Path MANIFESTS = Path.of("deploy/kubernetes/" + APP + ".yaml");

    private static List<JsonNode> manifests() throws Exception {
        var yaml = new ObjectMapper(new YAMLFactory());
        try (var documents = yaml.readerFor(JsonNode.class).readValues(MANIFESTS.toFile())) {
            List<JsonNode> all = new ArrayList<>();
            documents.forEachRemaining(document -> all.add((JsonNode) document));
            return all;
        }
    }

    private static JsonNode kind(List<JsonNode> manifests, String kind, String name) {
        return manifests.stream().filter(m -> m.path("kind").asText().equals(kind)
                && m.at("/metadata/name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + MANIFESTS));
    }

    private static Map<String, String> environment(List<JsonNode> manifests) {
        var env = new HashMap<String, String>();
        kind(manifests, "ConfigMap", APP).path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        kind(manifests, "Secret", APP).path("stringData").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    /** The settings these tests read, bound as a service binds its own. */
    record Ports(int port) {}

    /** The sample's http block as its application.conf sets it: the port, and the origins of CORS. */
    record Http(int port, Cors cors) {}

    record Cors(List<String> allowedOrigins) {}

    record Shutdown(Optional<Duration> drainDelay, Duration timeout, Duration gracePeriod) {}

    @Test
    void theProbesPointAtSkiffsEndpointsOnTheManagementPort(@TempDir Path empty) throws Exception {
        List<JsonNode> manifests = manifests();
        Configuration configuration = Configuration.load(environment(manifests), Map.of(), empty);
        int managementPort = configuration.bind("management", Ports.class).port();

        for (String name : List.of(APP, APP + "-worker")) {
            JsonNode container = kind(manifests, "Deployment", name).at("/spec/template/spec/containers/0");
            assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health/started");
            assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
            assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(container.at("/" + probe + "/httpGet/port").asText()).isEqualTo("management");
            }
            assertThat(port(container, "management")).isEqualTo(managementPort);
        }
        JsonNode web = kind(manifests, "Deployment", APP).at("/spec/template/spec/containers/0");
        assertThat(port(web, "http")).as("the default http.port").isEqualTo(configuration.bind("http", Http.class).port());
    }

    private static int port(JsonNode container, String name) {
        for (JsonNode port : container.path("ports")) {
            if (port.path("name").asText().equals(name)) {
                return port.path("containerPort").asInt();
            }
        }
        throw new AssertionError("no port named " + name);
    }

    @Test
    void theGracePeriodHoldsTheShutdownBudgetAndTheDrainIsWatched(@TempDir Path empty) throws Exception {
        List<JsonNode> manifests = manifests();
        Configuration configuration = Configuration.load(environment(manifests), Map.of(), empty);
        Shutdown shutdown = configuration.bind("shutdown", Shutdown.class);
        Duration timeout = shutdown.timeout();

        // The drain is left to Skiff, which watches the traffic and waits at least 5 s on Kubernetes.
        assertThat(shutdown.drainDelay()).as("SHUTDOWN_DRAIN_DELAY, which would replace the watched drain").isEmpty();
        assertThat(Duration.ofSeconds(5)).isLessThan(timeout);
        for (String name : List.of(APP, APP + "-worker")) {
            long grace = kind(manifests, "Deployment", name).at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
            assertThat(Duration.ofSeconds(grace)).as("terminationGracePeriodSeconds of " + name)
                    .isGreaterThanOrEqualTo(timeout.plus(EXIT_MARGIN))
                    .as("SHUTDOWN_GRACE_PERIOD, the kill window Skiff plans with").isEqualTo(shutdown.gracePeriod());
        }
    }

    @Test
    void everyVariableSetsAKeyAndPassesValidation(@TempDir Path empty) throws Exception {
        Configuration configuration = Configuration.load(environment(manifests()), Map.of(), empty);

        assertThat(configuration.warnings()).as("variables that set nothing").isEmpty();
        assertThat(configuration.bind("notes", NotesSettings.class).apiToken().reveal()).isNotBlank();
    }

    @Test
    void theDeploymentsRunRestrictedAndScale() throws Exception {
        List<JsonNode> manifests = manifests();
        for (String name : List.of(APP, APP + "-worker")) {
            JsonNode pod = kind(manifests, "Deployment", name).at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
            JsonNode container = pod.at("/containers/0");
            assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true)).isFalse();
            assertThat(container.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
            assertThat(container.at("/resources/limits/memory").asText()).isNotEmpty();
        }
        assertThat(kind(manifests, "HorizontalPodAutoscaler", APP).at("/spec/scaleTargetRef/name").asText())
                .isEqualTo(APP);
        assertThat(kind(manifests, "PodDisruptionBudget", APP).at("/spec/minAvailable").asInt()).isPositive();
        assertThat(kind(manifests, "Service", APP).at("/spec/ports/0/targetPort").asText()).isEqualTo("http");
        assertThat(kind(manifests, "Deployment", APP).at("/spec/template/spec/initContainers/0/args/0").asText())
                .as("the release step").isEqualTo("migrate");
    }

    @Test
    void theImageRunsTheJarAsPidOneWithoutRoot() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("Dockerfile"));
        List<String> instructions = lines.stream().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

        assertThat(instructions.stream().filter(l -> l.startsWith("FROM "))).as("multi-stage").hasSizeGreaterThanOrEqualTo(2);
        assertThat(instructions.stream().filter(l -> l.startsWith("FROM ")).toList().getLast()).contains("-jre");
        assertThat(instructions).as("exec form, so SIGTERM reaches the JVM")
                .anyMatch(l -> l.startsWith("ENTRYPOINT [\"java\""));
        assertThat(instructions).anyMatch(l -> l.startsWith("USER ") && !l.contains("root"));
        assertThat(instructions).anyMatch(l -> l.contains("MaxRAMPercentage"));
        assertThat(instructions).contains("EXPOSE 8080");
        assertThat(instructions).as("the AOT cache is written and read at the same path, for the same jar")
                .anyMatch(l -> l.contains("-XX:AOTCacheOutput=/app/notes.aot -jar /app/notes.jar"))
                .anyMatch(l -> l.contains("\"-XX:AOTCache=/app/notes.aot\", \"-jar\", \"/app/notes.jar\""));
    }

    @Test
    void theManifestsPassYamllint() throws Exception {
        var lint = DebianTool.run(Path.of(""), "yamllint", "--strict", MANIFESTS.toString());

        assertThat(lint.output()).isEmpty();
        assertThat(lint.exitCode()).isZero();
    }
}
