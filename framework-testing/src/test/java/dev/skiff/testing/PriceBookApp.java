package dev.skiff.testing;

import dev.skiff.Skiff;
import dev.skiff.lifecycle.Component;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;

/**
 * A service whose own component reads the database in {@code start()}, as a user's first
 * component does, with a process type that does the same and a component whose {@code stop()}
 * hangs when {@code AUDIT_HANGS} is set: what the dependency-aware start tests run as a child JVM.
 */
public final class PriceBookApp {

    private PriceBookApp() {}

    /** Loads a price from the database when it starts; nothing catches the database being down. */
    static final class PriceBook {
        private final DataSource database;
        private volatile long price = -1;

        PriceBook(DataSource database) {
            this.database = database;
        }

        void load() throws SQLException {
            try (var connection = database.getConnection(); var statement = connection.createStatement();
                 var result = statement.executeQuery("SELECT 42")) {
                result.next();
                price = result.getLong(1);
            }
        }
    }

    public static void main(String[] args) {
        Skiff.run(args, app -> {
            var prices = new PriceBook(app.database());
            app.component(Component.named("price-book", prices::load));
            app.get("/price", ctx -> ctx.json(Map.of("price", prices.price)));
            if (System.getenv("AUDIT_HANGS") != null) {
                var never = new CountDownLatch(1);
                app.component(Component.of("audit", () -> { }, never::await));
            }
            app.process("ledger", "a worker that loads the price list", worker -> {
                var ledger = new PriceBook(worker.database());
                worker.component(Component.named("ledger", ledger::load));
            });
        });
    }
}
