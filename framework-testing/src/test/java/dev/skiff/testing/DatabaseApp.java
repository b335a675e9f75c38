package dev.skiff.testing;

import dev.skiff.Skiff;
import dev.skiff.lifecycle.Component;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A service on DATABASE_URL with a route that needs the database, two commands and a worker
 * process type: what the admin-process tests run as a child JVM.
 */
public final class DatabaseApp {

    private static final Logger log = LoggerFactory.getLogger(DatabaseApp.class);

    private DatabaseApp() {}

    public static void main(String[] args) {
        Skiff.run(args, app -> {
            // snippet:database
            var database = app.database();
            app.get("/tables", ctx -> {
                try (var connection = database.getConnection(); var statement = connection.createStatement();
                     var result = statement.executeQuery("SELECT count(*) FROM pg_tables")) {
                    result.next();
                    ctx.json(Map.of("tables", result.getLong(1)));
                }
            });
            // end:database
            // snippet:command
            app.command("count-tables", "print how many tables the database has", commandArgs -> {
                try (var connection = database.getConnection(); var statement = connection.createStatement();
                     var result = statement.executeQuery("SELECT count(*) FROM pg_tables")) {
                    result.next();
                    System.out.println("tables: " + result.getLong(1));
                }
                return commandArgs.contains("--fail") ? 3 : 0;
            });
            // end:command
            app.command("slow", "count up once a second until stopped", commandArgs -> {
                for (int step = 1; ; step++) {
                    log.atInfo().setMessage("step {}").addArgument(step).addKeyValue("step", step).log();
                    Thread.sleep(200);
                }
            });
            app.command("stubborn", "ignore every interrupt", commandArgs -> {
                log.info("ignoring interrupts");
                while (true) {
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException ignored) {
                        log.info("interrupted, carrying on");
                    }
                }
            });
            // snippet:process
            app.process("worker", "process the queue", worker -> worker.component(Component.named("queue-consumer",
                    () -> log.info("consuming"))));
            // end:process
        });
    }
}
