package dev.skiff;

import dev.skiff.config.Configuration;
import dev.skiff.http.ServiceClient;
import dev.skiff.http.internal.OutboundClient;
import dev.skiff.jdbc.internal.DatabasePool;
import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The launcher's own commands: {@code --help}, {@code config} and {@code check} ({@code train} is in {@link Training}). */
final class Commands {

    private Commands() {}

    /** {@return the usage text: every command and process type with its one-line description} */
    static String help(String program, App app) {
        var lines = new LinkedHashMap<String, String>();
        lines.put("serve", "run the service: HTTP on PORT (the default when no command is given)");
        app.processes().forEach((name, process) -> lines.put(name, process.description() + " (process type)"));
        lines.put("check", "validate the configuration and try each backing service; exit 0 when all answer");
        lines.put("config", "print the effective configuration with where each value came from, secrets masked");
        lines.put("train", "start, answer one request on each GET route without parameters and each management"
                + " endpoint, stop: the training run of a JDK AOT cache (java -XX:AOTCacheOutput=app.aot -jar app.jar"
                + " train)");
        app.commands().forEach((name, command) -> lines.put(name, command.description()));
        int width = lines.keySet().stream().mapToInt(String::length).max().orElse(0);
        var out = new StringBuilder("Usage: ").append(program).append(" [command] [arguments]\n\nCommands:\n");
        lines.forEach((name, description) -> out.append("  ").append(name)
                .append(" ".repeat(width - name.length() + 2)).append(description).append('\n'));
        out.append("\nEvery command reads the same configuration (environment, .env, application.conf) as the"
                + " service.\n");
        return out.toString();
    }

    /** {@return the names a command line can give, for an unknown command's error} */
    static String names(App app) {
        var names = new TreeSet<String>(List.of("serve", "check", "config", "train"));
        names.addAll(app.processes().keySet());
        names.addAll(app.commands().keySet());
        return "The commands are: " + String.join(", ", names) + ".";
    }

    /**
     * Checks the configuration (already valid when this runs) and each backing service: the
     * database, and every service the application calls over HTTP ({@code app.http(name)}).
     *
     * @return 0 when every backing service answered, 1 otherwise
     */
    static int check(Configuration configuration, DatabasePool pool, Map<String, ServiceClient> clients,
            PrintStream out) {
        Map<String, String> results = new LinkedHashMap<>();
        boolean ok = true;
        results.put("configuration", "OK (" + configuration.describe().lines().count() + " keys)");
        if (pool == null) {
            results.put("database", "not configured (DATABASE_URL is not set)");
        } else {
            long begin = System.nanoTime();
            try {
                pool.startFailFast();
                pool.check();
                results.put("database", "OK: " + pool.describe() + " answered in "
                        + (System.nanoTime() - begin) / 1_000_000 + " ms");
            } catch (Exception e) {
                ok = false;
                results.put("database", "FAILED: " + e.getMessage());
            } finally {
                try {
                    pool.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        for (var entry : clients.entrySet()) {
            if (!(entry.getValue() instanceof OutboundClient client)) {
                continue;
            }
            String name = "http " + entry.getKey();
            try {
                results.put(name, "OK: " + client.reach());
            } catch (IOException | RuntimeException e) {
                ok = false;
                results.put(name, "FAILED: " + client.url() + " did not answer: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                        + "; check that it runs and that " + Configuration.envName(entry.getKey() + ".url")
                        + " names it");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ok = false;
                results.put(name, "FAILED: interrupted");
            }
        }
        int width = results.keySet().stream().mapToInt(String::length).max().orElse(0);
        results.forEach((name, result) -> out.println(name + " ".repeat(width - name.length() + 2) + result));
        out.println(ok ? "All checks passed." : "Some checks failed.");
        return ok ? 0 : 1;
    }
}
