package dev.skiff;

import java.util.LinkedHashMap;
import java.util.TreeSet;

/** The launcher's usage text ({@code check} is in {@link OneOffCommand}, {@code train} in {@link Training}). */
final class Commands {

    private Commands() {}

    /** {@return the usage text: every command and process type with its one-line description} */
    static String help(String program, App app) {
        var lines = new LinkedHashMap<String, String>();
        lines.put(Invocation.BuiltIn.SERVE.command(), Invocation.BuiltIn.SERVE.description());
        app.processes().forEach((name, process) -> lines.put(name, process.description() + " (process type)"));
        for (Invocation.BuiltIn builtIn : Invocation.BuiltIn.values()) {
            if (builtIn != Invocation.BuiltIn.SERVE && builtIn != Invocation.BuiltIn.HELP) {
                lines.put(builtIn.command(), builtIn.description());
            }
        }
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
        var names = new TreeSet<String>();
        for (Invocation.BuiltIn builtIn : Invocation.BuiltIn.values()) {
            if (builtIn != Invocation.BuiltIn.HELP) {
                names.add(builtIn.command());
            }
        }
        names.addAll(app.processes().keySet());
        names.addAll(app.commands().keySet());
        return "The commands are: " + String.join(", ", names) + ".";
    }
}
