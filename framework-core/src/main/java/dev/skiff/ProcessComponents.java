package dev.skiff;

import dev.skiff.config.Configuration;
import dev.skiff.lifecycle.Component;
import dev.skiff.lifecycle.HealthCheck;
import dev.skiff.lifecycle.HealthState;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Consumer;
import javax.sql.DataSource;

/** What a process type's setup receives: components and checks, and no way to add a route. */
final class ProcessComponents implements Components {

    private final Registry registry;

    ProcessComponents(Registry registry) {
        this.registry = registry;
    }

    Registry registry() {
        return registry;
    }

    @Override
    public Configuration configuration() {
        return registry.configuration;
    }

    @Override
    public MeterRegistry metrics() {
        return registry.metrics;
    }

    @Override
    public DataSource database() {
        return registry.database();
    }

    @Override
    public ProcessComponents component(Component component) {
        registry.component(component);
        return this;
    }

    @Override
    public ProcessComponents readinessCheck(String name, HealthCheck check) {
        registry.readinessCheck(name, check);
        return this;
    }

    @Override
    public ProcessComponents livenessCheck(String name, HealthCheck check) {
        registry.livenessCheck(name, check);
        return this;
    }

    @Override
    public ProcessComponents onStateChange(Consumer<HealthState> listener) {
        registry.onStateChange(listener);
        return this;
    }
}
