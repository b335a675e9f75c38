package dev.skiff;

import java.util.List;
import java.util.Set;

/**
 * What a command line asks for; the launcher runs it to an exit status. {@link #serves} reads the
 * arguments alone, before setup, to warm the server up; {@link #parse} reads them with the
 * application's names, once setup has run.
 */
sealed interface Invocation {

    /** The launcher's own commands: the one place their names and their lines in the usage text are. */
    enum BuiltIn {
        SERVE("run the service: HTTP on PORT (the default when no command is given)"),
        CHECK("validate the configuration and try each backing service; exit 0 when all answer"),
        CONFIG("print the effective configuration with where each value came from, secrets masked"),
        TRAIN("start, answer one request on each GET route without parameters and each management endpoint, stop:"
                + " the training run of a JDK AOT cache (java -XX:AOTCacheOutput=app.aot -jar app.jar train)"),
        HELP("print this text", "--help", "-h");

        private final String description;
        private final List<String> aliases;

        BuiltIn(String description, String... aliases) {
            this.description = description;
            this.aliases = List.of(aliases);
        }

        /** {@return the name a command line gives it} */
        String command() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** {@return its line in the usage text} */
        String description() {
            return description;
        }

        /** {@return the built-in a command line's first word names, if one does} */
        static java.util.Optional<BuiltIn> named(String word) {
            for (BuiltIn builtIn : values()) {
                if (builtIn.command().equals(word) || builtIn.aliases.contains(word)) {
                    return java.util.Optional.of(builtIn);
                }
            }
            return java.util.Optional.empty();
        }

        /** {@return every word a built-in answers to, which an application's command may not take} */
        static Set<String> reserved() {
            var words = new java.util.TreeSet<String>();
            for (BuiltIn builtIn : values()) {
                words.add(builtIn.command());
                words.addAll(builtIn.aliases);
            }
            return words;
        }
    }

    /** {@code serve}, or no command: the service. */
    record Serve() implements Invocation {}

    /** One of the application's process types, such as {@code worker}. */
    record Process(String name) implements Invocation {}

    /** One of the application's one-off commands, with the arguments after its name. */
    record RunCommand(String name, List<String> args) implements Invocation {}

    /** {@code --help}, {@code -h} or {@code help}: the usage text. */
    record Help() implements Invocation {}

    /** {@code config}: the effective configuration with origins. */
    record Config() implements Invocation {}

    /**
     * {@code train}: the service, started, asked once on each GET route without parameters and on
     * the management endpoints, then stopped: the training run of a JDK AOT cache.
     */
    record Train() implements Invocation {}

    /** {@code check}: the configuration and each backing service. */
    record Check() implements Invocation {}

    /** A name that is none of the above. */
    record Unknown(String name) implements Invocation {}

    /** {@return whether it runs something that uses backing services, so that those asked for must be configured} */
    default boolean needsBackingServices() {
        return this instanceof Serve || this instanceof Train || this instanceof Process || this instanceof RunCommand
                || this instanceof Check;
    }

    /**
     * {@return whether what it prints on stdout is its result, so that its log goes to stderr:
     * {@code java -jar app.jar migrate --dry-run > out} leaves only the command's output in
     * {@code out}} The service and process types log to stdout.
     */
    default boolean printsResult() {
        return this instanceof RunCommand || this instanceof Check || this instanceof Config || this instanceof Help;
    }

    /** {@return whether it runs the service or a process type until stopped: what a trace is made of} */
    default boolean runsService() {
        return this instanceof Serve || this instanceof Train || this instanceof Process;
    }

    /**
     * {@return whether the secrets the application's setup binds must all be set: for the service
     * itself and for {@code check} and {@code config}, which look at its configuration; a process
     * type, a command or the AOT training run needs only those it reads}
     */
    static boolean needsEverySecret(String[] args) {
        BuiltIn named = args.length == 0 ? BuiltIn.SERVE : BuiltIn.named(args[0]).orElse(null);
        return named == BuiltIn.SERVE || named == BuiltIn.CHECK || named == BuiltIn.CONFIG;
    }

    /**
     * {@return whether the arguments name a command that prints its result (so that the log goes
     * to stderr), one that does not, or — a name that is not a built-in: a command or a process
     * type, known once setup has run — null}
     */
    static Boolean printsResult(String[] args) {
        BuiltIn named = args.length == 0 ? BuiltIn.SERVE : BuiltIn.named(args[0]).orElse(null);
        if (named == null) {
            return null;
        }
        return named == BuiltIn.CHECK || named == BuiltIn.CONFIG || named == BuiltIn.HELP;
    }

    /** {@return the invocation the arguments name, given the application's commands and process types} */
    static Invocation parse(String[] args, App app) {
        String name = args.length == 0 ? BuiltIn.SERVE.command() : args[0];
        var builtIn = BuiltIn.named(name);
        if (builtIn.isPresent()) {
            return switch (builtIn.get()) {
                case SERVE -> new Serve();
                case CHECK -> new Check();
                case CONFIG -> new Config();
                case TRAIN -> new Train();
                case HELP -> new Help();
            };
        } else if (app.processes().containsKey(name)) {
            return new Process(name);
        } else if (app.commands().containsKey(name)) {
            return new RunCommand(name, List.of(args).subList(1, args.length));
        }
        return new Unknown(name);
    }
}
