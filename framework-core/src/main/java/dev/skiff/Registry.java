package dev.skiff;

import dev.skiff.config.ConfigProblem;
import dev.skiff.config.Configuration;
import dev.skiff.config.ConfigurationException;
import dev.skiff.http.ServiceClient;
import dev.skiff.http.internal.OutboundClient;
import dev.skiff.http.internal.OutboundSettings;
import dev.skiff.http.internal.UnconfiguredClient;
import dev.skiff.internal.Tracing;
import dev.skiff.jdbc.internal.PooledDataSource;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.internal.Lifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * What one process (the service, or a process type) registered while it was set up: the
 * {@link Components} role itself, which is all a process type's setup receives. {@link App}
 * hands its own component registrations here.
 */
final class Registry implements Components {

    private static final Pattern SERVICE_NAME = Pattern.compile("[a-z][a-z0-9-]*");

    private final Configuration configuration;
    private final MeterRegistry metrics;
    private final List<Duration> latencyBuckets;
    private final Supplier<Tracing> tracing;
    private final Map<String, ServiceClient> clients = new LinkedHashMap<>();
    private final List<ConfigProblem> clientProblems = new ArrayList<>();
    private final DataSource database;
    /** What database() hands out without DATABASE_URL, so setup can finish and say so in one report. */
    private final DataSource unconfigured = new PooledDataSource();
    private final List<Component> components = new ArrayList<>();
    private final Map<String, HealthCheck> readiness = new LinkedHashMap<>();
    private final Map<String, HealthCheck> liveness = new LinkedHashMap<>();
    private final List<Consumer<HealthState>> listeners = new ArrayList<>();
    /** Whether setup asked for the database; without DATABASE_URL the process then does not start. */
    private boolean databaseWanted;
    /** Set once setup has returned: what is added later would be silently ignored, so it is refused. */
    private boolean sealed;

    /**
     * @param latencyBuckets the buckets of the clients' latency histograms
     * @param tracing how the clients' calls are traced, read at each call
     * @param database the pool's data source, or null when {@code DATABASE_URL} is not set
     */
    Registry(Configuration configuration, MeterRegistry metrics, List<Duration> latencyBuckets,
            Supplier<Tracing> tracing, DataSource database) {
        this.configuration = configuration;
        this.metrics = metrics;
        this.latencyBuckets = latencyBuckets;
        this.tracing = tracing;
        this.database = database;
    }

    @Override
    public Configuration configuration() {
        return configuration;
    }

    @Override
    public MeterRegistry metrics() {
        return metrics;
    }

    @Override
    public DataSource database() {
        if (database == null) {
            databaseWanted = true;
            return unconfigured;
        }
        return database;
    }

    @Override
    public ServiceClient http(String name) {
        checkOpen("the client of " + name);
        if (name == null || !SERVICE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a backing service's name is lower case letters, digits and dashes, such"
                    + " as payments (read from PAYMENTS_URL), got " + name);
        }
        return clients.computeIfAbsent(name, this::newClient);
    }

    /** {@return the clients of backing services, by name, in the order they were asked for} */
    Map<String, ServiceClient> clients() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clients));
    }

    private ServiceClient newClient(String name) {
        OutboundSettings settings;
        try {
            settings = configuration.bind(name, OutboundSettings.class);
        } catch (ConfigurationException e) {
            clientProblems.addAll(e.problems());
            return new UnconfiguredClient(name);
        }
        var client = new OutboundClient(name, settings, metrics, latencyBuckets, tracing);
        component(client.component());
        return client;
    }

    /**
     * {@return the problems to report when the process uses backing services: every client's
     * missing or bad settings, and the database asked for and not configured}
     *
     * @param databaseSettingsBound whether the database block bound; if not, its report says more
     */
    List<ConfigProblem> problems(boolean databaseSettingsBound) {
        var problems = new ArrayList<>(clientProblems);
        if (databaseWanted && databaseSettingsBound) {
            problems.add(new ConfigProblem("database.url", "DATABASE_URL", "not set",
                    "the service uses a database and none is configured: set DATABASE_URL to"
                            + " postgres://user:password@host:5432/database or a jdbc: URL"));
        }
        return problems;
    }

    /** Refuses every later registration. */
    void seal() {
        sealed = true;
    }

    /** Throws when setup has returned already. */
    void checkOpen(String what) {
        if (sealed) {
            throw new IllegalStateException(what + " was added after setup returned, where it would be ignored: add it"
                    + " during setup, and in a process type's setup to the Components it receives");
        }
    }

    @Override
    public Registry component(Component component) {
        checkOpen("the component " + (component == null ? null : component.name()));
        components.add(Objects.requireNonNull(component, "component"));
        return this;
    }

    @Override
    public Registry readinessCheck(String name, HealthCheck check) {
        checkOpen("the readiness check " + name);
        readiness.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
        return this;
    }

    @Override
    public Registry livenessCheck(String name, HealthCheck check) {
        checkOpen("the liveness check " + name);
        liveness.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
        return this;
    }

    @Override
    public Registry onStateChange(Consumer<HealthState> listener) {
        checkOpen("a state listener");
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Puts what was registered into the lifecycle that runs it. */
    void registerInto(Lifecycle lifecycle) {
        components.forEach(lifecycle::register);
        readiness.forEach(lifecycle::readinessCheck);
        liveness.forEach(lifecycle::livenessCheck);
        listeners.forEach(lifecycle::onStateChange);
    }
}
