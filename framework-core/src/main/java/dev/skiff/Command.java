package dev.skiff;

import java.util.List;

/**
 * A one-off admin command run from the service's own jar ({@code java -jar app.jar migrate
 * --dry-run}), with the service's configuration, logging and database pool.
 *
 * {@snippet :
 * app.command("purge", "delete notes older than --days N", args -> {
 *     int days = Integer.parseInt(args.getFirst());
 *     try (var connection = app.database().getConnection()) {
 *         // ...
 *     }
 *     return 0;
 * });
 * }
 */
@FunctionalInterface
public interface Command {

    /**
     * Runs the command. SIGTERM or SIGINT interrupts the thread that runs it; a long command
     * should check {@link Thread#interrupted()} between steps and log its progress.
     *
     * @param args the arguments after the command's name
     * @return the process's exit status: 0 for success
     * @throws Exception a failure, logged with its stack; the process then exits with 1
     */
    int run(List<String> args) throws Exception;
}
