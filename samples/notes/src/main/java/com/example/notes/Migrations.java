package com.example.notes;

import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema, managed by Flyway from {@code db/migration}: applied by the {@code migrate} command
 * (a release step), and at startup on the embedded database.
 */
public final class Migrations {

    private static final Logger log = LoggerFactory.getLogger(Migrations.class);

    private final DataSource database;

    /**
     * Creates the migrations for a database.
     *
     * @param database the pool behind DATABASE_URL
     */
    public Migrations(DataSource database) {
        this.database = database;
    }

    private Flyway flyway() {
        return Flyway.configure().dataSource(database).locations("classpath:db/migration")
                .loggers("slf4j").load();
    }

    /** {@return the migrations not applied yet, oldest first} */
    public List<MigrationInfo> pending() {
        return Arrays.asList(flyway().info().pending());
    }

    // snippet:migrate
    /**
     * The {@code migrate} command: applies pending migrations, or with {@code --dry-run} lists them.
     *
     * @param args the command's arguments
     * @return 0 when the schema is up to date (or, dry, when the list was printed), 2 for an unknown argument
     */
    public int command(List<String> args) {
        if (!args.stream().allMatch("--dry-run"::equals)) {
            System.err.println("migrate takes one optional argument, --dry-run; got " + args);
            return 2;
        }
        if (args.contains("--dry-run")) {
            List<MigrationInfo> pending = pending();
            System.out.println(pending.size() + " pending migration(s)" + (pending.isEmpty() ? "" : ":"));
            pending.forEach(m -> System.out.println("  " + m.getVersion() + "  " + m.getDescription()
                    + "  (" + m.getScript() + ")"));
            return 0;
        }
        migrate();
        return 0;
    }
    // end:migrate

    /** Applies every pending migration, logging each (Flyway does) and the outcome. */
    public void migrate() {
        MigrateResult result = flyway().migrate();
        log.atInfo().setMessage("applied {} migration(s); the schema is at version {}")
                .addArgument(result.migrationsExecuted).addArgument(result.targetSchemaVersion)
                .addKeyValue("migrations_applied", result.migrationsExecuted).log();
    }
}
