package dev.skiff;

import java.util.List;
import java.util.Set;

/** What a command line asks for, parsed once; the launcher runs it to an exit status. */
sealed interface Invocation {

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

    Set<String> HELP = Set.of("help", "--help", "-h");

    /** {@return whether it runs something that uses backing services, so that those asked for must be configured} */
    default boolean needsBackingServices() {
        return this instanceof Serve || this instanceof Train || this instanceof Process || this instanceof RunCommand
                || this instanceof Check;
    }

    /** {@return whether it runs the service or a process type until stopped: what a trace is made of} */
    default boolean runsService() {
        return this instanceof Serve || this instanceof Train || this instanceof Process;
    }

    /** {@return whether the invocation serves HTTP, so that warming the server up in the background pays} */
    static boolean serves(String[] args) {
        return args.length == 0 || args[0].equals("serve") || args[0].equals("train");
    }

    /** {@return the invocation the arguments name, given the application's commands and process types} */
    static Invocation parse(String[] args, App app) {
        String name = args.length == 0 ? "serve" : args[0];
        if (name.equals("serve")) {
            return new Serve();
        } else if (HELP.contains(name)) {
            return new Help();
        } else if (name.equals("config")) {
            return new Config();
        } else if (name.equals("check")) {
            return new Check();
        } else if (name.equals("train")) {
            return new Train();
        } else if (app.processes().containsKey(name)) {
            return new Process(name);
        } else if (app.commands().containsKey(name)) {
            return new RunCommand(name, List.of(args).subList(1, args.length));
        }
        return new Unknown(name);
    }
}
