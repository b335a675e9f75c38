package com.example.notes;

import dev.skiff.lifecycle.Component;
import java.sql.Connection;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.api.MigrationInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema at startup. On the embedded database it migrates (nothing else would), with a warning
 * that the notes live only as long as the process; on a real one it leaves migrating to the
 * {@code migrate} command and keeps the service not ready while migrations are pending.
 */
public final class SchemaCheck implements Component {

    private static final Logger log = LoggerFactory.getLogger(SchemaCheck.class);

    private final DataSource database;
    private final Migrations migrations;
    private volatile boolean upToDate;

    /**
     * Creates the check.
     *
     * @param database the pool behind DATABASE_URL
     * @param migrations the schema's migrations
     */
    public SchemaCheck(DataSource database, Migrations migrations) {
        this.database = database;
        this.migrations = migrations;
    }

    @Override
    public String name() {
        return "schema";
    }

    @Override
    public void start() throws Exception {
        String product;
        try (Connection connection = database.getConnection()) {
            product = connection.getMetaData().getDatabaseProductName();
        } catch (java.sql.SQLException e) {
            // The database is not reachable yet: readiness waits for it, then for the schema.
            log.atInfo().setMessage("the schema is checked once the database answers").log();
            return;
        }
        if (product.equals("H2")) {
            log.atWarn().setMessage("DATABASE_URL names an H2 database, for development only: notes are lost when the"
                    + " process stops; set DATABASE_URL to a PostgreSQL database to keep them").log();
            migrations.migrate();
            return;
        }
        int pending = migrations.pending().size();
        if (pending > 0) {
            log.atWarn().setMessage("{} schema migration(s) pending: the service stays not ready until the migrate"
                    + " command applies them").addArgument(pending).addKeyValue("migrations_pending", pending).log();
        }
    }

    /**
     * A readiness check: passes once no migration is pending.
     *
     * @throws IllegalStateException while migrations are pending
     */
    public void check() {
        if (upToDate) {
            return;
        }
        List<MigrationInfo> pending = migrations.pending();
        if (!pending.isEmpty()) {
            throw new IllegalStateException(pending.size() + " migration(s) pending, the first "
                    + pending.getFirst().getVersion() + " (" + pending.getFirst().getDescription()
                    + "): run the migrate command");
        }
        upToDate = true;
    }
}
