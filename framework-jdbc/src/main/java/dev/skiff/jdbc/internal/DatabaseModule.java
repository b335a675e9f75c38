package dev.skiff.jdbc.internal;

import dev.skiff.Components;
import dev.skiff.Module;
import dev.skiff.config.ConfigProblem;
import dev.skiff.config.ConfigurationException;
import dev.skiff.modules.internal.BackingService;
import dev.skiff.modules.internal.ModuleSupport;
import java.util.List;
import java.util.Optional;

/**
 * The database, as a module: the {@code database} block, the pool behind {@code app.database()}
 * as a component, its readiness check, and the database as a backing service — 503 for a request
 * that found it unavailable, a start that waits for it under {@code database.startup-policy=wait}.
 * Found on the class path through {@code META-INF/services/dev.skiff.Module}.
 */
public final class DatabaseModule implements Module {

    @Override
    public String name() {
        return "database";
    }

    @Override
    public void install(Components process) {
        ModuleSupport support = ModuleSupport.of(process);
        DatabaseSettings settings = process.configuration().bind("database", DatabaseSettings.class);
        Optional<DatabaseUrl> target = settings.target();
        if (target.isEmpty()) {
            // Only a process that uses the database needs one: asking for it is what makes it a problem.
            support.provideDatabase(() -> {
                throw new ConfigurationException(List.of(new ConfigProblem("database.url", "DATABASE_URL", "not set",
                        "the service uses a database and none is configured: set DATABASE_URL to"
                                + " postgres://user:password@host:5432/database or a jdbc: URL")));
            });
            return;
        }
        var pool = new DatabasePool(settings, target.get(), process.metrics(), support::fatal, support::oneOff);
        support.provideDatabase(pool::dataSource);
        process.component(pool);
        process.readinessCheck("database", pool::check);
        support.backingService(new BackingService("database", pool::reach, pool.failureMapping(), pool::startWait));
    }
}
