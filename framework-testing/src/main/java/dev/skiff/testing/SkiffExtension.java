package dev.skiff.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.skiff.App;
import dev.skiff.RunningService;
import dev.skiff.Skiff;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Runs a service in the test's JVM: started on a free port with the test's settings (the
 * process's environment is neither read nor changed), reachable through {@link #uri()} and
 * {@link #client()}, its log events captured for assertions, and stopped after the tests through
 * the same shutdown SIGTERM runs. On a static field it serves every test of the class; on an
 * instance field, each test gets its own.
 *
 * {@snippet :
 * @RegisterExtension
 * static final SkiffExtension notes = SkiffExtension.of(NotesApp::setup).with("NOTES_API_TOKEN", "test-token");
 *
 * @Test
 * void greets() throws Exception {
 *     assertThat(notes.get("/hello?name=Ada").body()).contains("Hello, Ada!");
 * }
 * }
 */
public final class SkiffExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final Consumer<App> setup;
    private final Map<String, String> settings;
    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RunningService service;
    private Capture capture;
    private boolean perClass;

    private SkiffExtension(Consumer<App> setup, Map<String, String> settings) {
        this.setup = setup;
        this.settings = settings;
    }

    /**
     * An extension for a service's setup: the method its {@code main} passes to {@link Skiff#run}.
     *
     * @param setup adds the routes, components and checks
     * @return the extension, to register with {@code @RegisterExtension}
     */
    public static SkiffExtension of(Consumer<App> setup) {
        return new SkiffExtension(Objects.requireNonNull(setup, "setup"), Map.of());
    }

    /**
     * Adds a setting, by environment-variable name ({@code NOTES_API_TOKEN}) or key
     * ({@code notes.api-token}); the service sees only the settings given here and its defaults.
     *
     * @param name the variable's or key's name
     * @param value its value
     * @return a copy of this extension with the setting
     */
    public SkiffExtension with(String name, String value) {
        var more = new LinkedHashMap<>(settings);
        more.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return new SkiffExtension(setup, more);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            start();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    private void start() {
        events.clear();
        capture = new Capture(events);
        capture.attach();
        try {
            service = Skiff.start(settings, setup);
        } catch (RuntimeException e) {
            capture.detach();
            throw e;
        }
    }

    private void stop() {
        try {
            if (service != null) {
                service.stop();
            }
        } finally {
            service = null;
            if (capture != null) {
                capture.detach();
            }
        }
    }

    /** {@return the running service, to stop it or read its state} */
    public RunningService service() {
        if (service == null) {
            throw new IllegalStateException("the service runs only while a test runs: register the extension with"
                    + " @RegisterExtension and use it from a test method");
        }
        return service;
    }

    /** {@return the base URI of the service's routes} */
    public URI uri() {
        return service().uri();
    }

    /**
     * {@return the URI of a path on the service}
     *
     * @param path such as {@code /notes?limit=5}
     */
    public URI uri(String path) {
        return uri().resolve(path);
    }

    /** {@return an HTTP client for the service} */
    public HttpClient client() {
        return client;
    }

    /**
     * Sends a GET request.
     *
     * @param path such as {@code /notes/1}
     * @return the response, with its body as text
     * @throws IOException when the connection fails
     * @throws InterruptedException when the test is interrupted
     */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    /**
     * {@return a request builder for a path on the service, with a 10-second timeout}
     *
     * @param path such as {@code /notes}
     */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10));
    }

    /**
     * Sends a request.
     *
     * @param request built from {@link #request(String)}
     * @return the response, with its body as text
     * @throws IOException when the connection fails
     * @throws InterruptedException when the test is interrupted
     */
    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@return the log events written since the service started, in order} */
    public List<LogEvent> logs() {
        return List.copyOf(events);
    }

    /** Appends every event of the process's logging to a list, for as long as the service runs. */
    private static final class Capture extends AppenderBase<ILoggingEvent> {

        private final List<LogEvent> events;

        Capture(List<LogEvent> events) {
            this.events = events;
        }

        void attach() {
            var context = (LoggerContext) LoggerFactory.getILoggerFactory();
            setContext(context);
            setName("skiff-test-capture");
            start();
            context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(this);
        }

        void detach() {
            Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            root.detachAppender(this);
            stop();
        }

        @Override
        protected void append(ILoggingEvent event) {
            var fields = new LinkedHashMap<String, Object>(event.getMDCPropertyMap());
            if (event.getKeyValuePairs() != null) {
                event.getKeyValuePairs().forEach(pair -> fields.put(pair.key, pair.value));
            }
            events.add(new LogEvent(Instant.ofEpochMilli(event.getTimeStamp()), event.getLevel().toString(),
                    event.getLoggerName(), event.getFormattedMessage(), java.util.Collections.unmodifiableMap(fields),
                    Optional.ofNullable(event.getThrowableProxy()).map(proxy -> proxy.getClassName())));
        }
    }
}
