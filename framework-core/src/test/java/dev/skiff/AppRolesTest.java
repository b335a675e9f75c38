package dev.skiff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.config.ConfigurationException;
import dev.skiff.http.HttpException;
import java.lang.reflect.Method;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The roles of {@link App}: a group's filters stay in the group; a process type gets components only. */
class AppRolesTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private RunningService service;

    @AfterEach
    void stop() {
        if (service != null) {
            service.stop();
        }
        client.close();
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        var request = HttpRequest.newBuilder(service.uri().resolve(path)).timeout(Duration.ofSeconds(10));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aGroupsFiltersRunAroundItsOwnRoutesInsideTheApplicationsOnly() throws Exception {
        service = Skiff.start(Map.of(), app -> app
                .before(ctx -> ctx.header("X-Trail", "app"))
                .after(ctx -> ctx.header("X-After", "app"))
                .get("/public", ctx -> ctx.text("open"))
                .group("/admin", admin -> admin
                        .before(ctx -> {
                            if (!ctx.header("Authorization").orElse("").equals("Bearer right")) {
                                throw new HttpException(401, "a token is required");
                            }
                        })
                        .get("/stats", ctx -> ctx.text("42"))
                        .group("/deep", deep -> deep
                                .before(ctx -> ctx.header("X-Deep", "yes"))
                                .get("/x", ctx -> ctx.text("deep")))));

        HttpResponse<String> open = get("/public");
        assertThat(open.statusCode()).as("the group's filter does not guard the application's route").isEqualTo(200);
        assertThat(open.body()).isEqualTo("open");
        assertThat(open.headers().firstValue("X-Trail")).contains("app");
        assertThat(open.headers().firstValue("X-Deep")).isEmpty();

        HttpResponse<String> refused = get("/admin/stats");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.headers().firstValue("X-Trail")).as("the application's filter ran first").contains("app");
        assertThat(get("/admin/stats", "Authorization", "Bearer right").body()).isEqualTo("42");

        assertThat(get("/admin/deep/x").statusCode()).as("a nested group is inside its parent's filters")
                .isEqualTo(401);
        HttpResponse<String> deep = get("/admin/deep/x", "Authorization", "Bearer right");
        assertThat(deep.body()).isEqualTo("deep");
        assertThat(deep.headers().firstValue("X-Deep")).contains("yes");
        assertThat(deep.headers().firstValue("X-After")).as("the application's after filter runs on every route")
                .contains("app");
    }

    @Test
    void aProcessTypeReceivesComponentsWhichCannotAddARoute() {
        assertThat(Routes.class.isAssignableFrom(Components.class)).isFalse();
        List<String> routeMethods = Arrays.stream(Routes.class.getMethods()).map(Method::getName).toList();
        assertThat(Arrays.stream(Components.class.getMethods()).map(Method::getName))
                .as("no way to add a route or a filter from a process type")
                .doesNotContainAnyElementsOf(routeMethods);
        assertThat(Arrays.stream(App.class.getMethods()).filter(m -> m.getName().equals("process")))
                .singleElement().satisfies(process -> assertThat(process.getGenericParameterTypes()[2].getTypeName())
                        .isEqualTo("java.util.function.Consumer<dev.skiff.Components>"));
    }

    @Test
    void aModulesCommandJoinsTheServiceWhileAProcessTypeTakesNoCommand() throws Exception {
        Module withCommand = process -> process.command("reindex", "rebuild the index", args -> 0);
        Path directory = Files.createTempDirectory("skiff-roles");
        var prepared = Startup.setUp(AppRolesTest.class, Map.of("PORT", "0"), Map.of(), directory, app -> {
            app.module(withCommand);
            app.process("worker", "a worker", worker -> worker.module(withCommand));
        }, app -> new Invocation.Process("worker"), false, null, false);
        assertThat(prepared.app().commands()).containsKey("reindex");

        assertThatThrownBy(() -> Startup.setUp(AppRolesTest.class, Map.of("PORT", "0"), Map.of(), directory,
                app -> app.process("worker", "a worker", worker -> worker.command("reindex", "rebuild", args -> 0)),
                app -> new Invocation.Process("worker"), false, null, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the command reindex was added to a process type, which runs no command");
        if (prepared instanceof Startup.Ready ready) {
            ready.service().metrics().close();
        }
    }

    @Test
    void theFrameworksProblemsAndTheApplicationsAreOneReport() {
        record Settings(int retries) {}

        var report = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationException.class,
                () -> Skiff.start(Map.of("PORT", "eighty", "ROLES_RETRIES", "many"),
                        app -> app.configuration().bind("roles", Settings.class)));

        assertThat(report.problems()).extracting(problem -> problem.key())
                .containsExactly("http.port", "roles.retries");
        assertThat(report.getMessage()).startsWith("Configuration is invalid (2 problems); nothing was started.");
    }

    @Test
    void aSetupThatFailsBecauseAValueIsBadGivesTheReportNotTheFailure() {
        var report = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationException.class,
                () -> Skiff.start(Map.of("PORT", "eighty"), app -> {
                    throw new AssertionError("the setup could not use its settings");
                }));

        // The report names the bad value and says the setup stopped early, so it does not pass for complete.
        assertThat(report.problems()).extracting(problem -> problem.key()).containsExactly("http.port", "");
        assertThat(report.problems().getLast().toString()).startsWith("setup, at dev.skiff.AppRolesTest.lambda$")
                .contains(": stopped early: java.lang.AssertionError: the setup could not use its settings; likely"
                        + " because of a problem above");
    }

    @Test
    void aProcessTypeThatDoesNotRunNowNeitherBreaksTheServiceNorShowsItsMeters() throws Exception {
        service = Skiff.start(Map.of(), app -> app
                .get("/hello", ctx -> ctx.text("hello"))
                .process("worker", "counts jobs", worker -> worker.metrics().counter("worker.jobs").increment())
                .process("broken", "fails to set up", broken -> {
                    throw new AssertionError("only its own run needs to know");
                }));

        assertThat(get("/hello").body()).isEqualTo("hello");
        assertThat(service.metrics().find("worker.jobs").counter()).as("the worker's meters stay out of /metrics")
                .isNull();
        assertThat(get(service.managementUri().resolve("/metrics").toString()).body()).doesNotContain("worker_jobs");
    }

    @Test
    void nothingStartsWhenTheReportIsNotEmpty() {
        var started = new java.util.concurrent.atomic.AtomicBoolean();
        record Settings(int retries) {}

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Skiff.start(Map.of("ROLES_RETRIES", "many"), app -> {
            app.component(dev.skiff.lifecycle.Component.named("probe", () -> started.set(true)));
            app.configuration().bind("roles", Settings.class);
        })).isInstanceOf(ConfigurationException.class);
        assertThat(started).isFalse();
    }
}
