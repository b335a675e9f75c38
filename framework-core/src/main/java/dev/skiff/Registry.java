package dev.skiff;

import dev.skiff.config.ConfigProblem;
import dev.skiff.config.Configuration;
import dev.skiff.jdbc.internal.PooledDataSource;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
import dev.skiff.lifecycle.internal.Lifecycle;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * What one process (the service, or a process type) registered while it was set up: the
 * {@link Components} role itself, which is all a process type's setup receives. {@link App}
 * hands its own component registrations here.
 */
final class Registry implements Components {

    private final Configuration configuration;
    private final MeterRegistry metrics;
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
     * @param database the pool's data source, or null when {@code DATABASE_URL} is not set
     */
    Registry(Configuration configuration, MeterRegistry metrics, DataSource database) {
        this.configuration = configuration;
        this.metrics = metrics;
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

    /** {@return the problem to report when setup asked for a database and none is configured} */
    List<ConfigProblem> problems() {
        return databaseWanted ? List.of(new ConfigProblem("database.url", "DATABASE_URL", "not set",
                "the service uses a database and none is configured: set DATABASE_URL to"
                        + " postgres://user:password@host:5432/database or a jdbc: URL")) : List.of();
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
