package dev.skiff.config.launch.internal;

import dev.skiff.config.ConfigProblem;
import dev.skiff.config.Configuration;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/**
 * For the launcher: a view of a {@link Configuration} whose {@code bind} collects its problems
 * rather than throwing them, so that one report names every bind's problems, and that may leave
 * a {@link dev.skiff.config.Secret} that is not set to the processes that read it. A record with
 * problems is returned as a stand-in (empty values where the problems are), or null when its own
 * checks refuse those; setup goes on, and nothing runs before the report is empty.
 *
 * <p>The views are package-private methods of {@link Configuration}, not API: reached here by a
 * method handle, so that {@code dev.skiff.config} does not depend on this package in turn (its own
 * {@code internal} package is what it uses, and so cannot be this one).
 */
public final class Binding {

    private static final MethodHandle COLLECTING;
    private static final MethodHandle STRICT;
    private static final MethodHandle UNREAD;
    private static final MethodHandle CLOSE;

    static {
        try {
            var lookup = MethodHandles.privateLookupIn(Configuration.class, MethodHandles.lookup());
            COLLECTING = lookup.findVirtual(Configuration.class, "collectingView",
                    MethodType.methodType(Configuration.class, boolean.class, List.class, List.class));
            STRICT = lookup.findVirtual(Configuration.class, "strictView", MethodType.methodType(Configuration.class));
            UNREAD = lookup.findVirtual(Configuration.class, "unreadBlocks", MethodType.methodType(List.class));
            CLOSE = lookup.findVirtual(Configuration.class, "closeView", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Binding() {}

    /**
     * Returns a view of the configuration whose binds add their problems to a list and return.
     *
     * @param configuration the configuration, loaded
     * @param deferSecrets whether a secret that is not set is left to the processes that read it
     * @param problems where each bind's problems go
     * @param deferred where the secrets left unset go
     * @return the view, sharing everything else (values, secrets known) with {@code configuration}
     */
    public static Configuration collecting(Configuration configuration, boolean deferSecrets,
            List<ConfigProblem> problems, List<ConfigProblem> deferred) {
        try {
            return (Configuration) COLLECTING.invokeExact(configuration, deferSecrets, problems, deferred);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /**
     * Ends a view's collecting, once setup is over: from then on its {@code bind} throws, as the
     * configuration's own does, so that a bind in a command, a component or a handler never gets
     * a stand-in.
     *
     * @param view a view made by {@link #collecting}
     */
    public static void close(Configuration view) {
        try {
            CLOSE.invokeExact(view);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /**
     * Returns a warning for each top-level block the application's files set that no record was
     * bound at or under (a misspelt process type's block): call once every setup has run.
     *
     * @param configuration the configuration, or a view of it
     * @return sentences such as {@code application.conf: 12 sets refreshr, which no setting reads; did you mean refresher?}
     */
    @SuppressWarnings("unchecked")
    public static List<String> unreadBlocks(Configuration configuration) {
        try {
            return (List<String>) UNREAD.invokeExact(configuration);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /**
     * Returns the configuration whose {@code bind} throws its problems: for framework code that
     * reports them its own way (a module's install, a client's settings).
     *
     * @param configuration a configuration or a view of one
     * @return a configuration sharing everything with it, whose binds throw
     */
    public static Configuration strict(Configuration configuration) {
        try {
            return (Configuration) STRICT.invokeExact(configuration);
        } catch (Throwable e) {
            throw rethrown(e);
        }
    }

    /**
     * What a view method threw, to throw as it is. The calls are exact ({@code invokeExact}): a
     * call of {@code invokeWithArguments} adapts the handle anew, generating about twenty classes
     * at startup.
     */
    private static RuntimeException rethrown(Throwable e) {
        if (e instanceof RuntimeException unchecked) {
            return unchecked;
        } else if (e instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(e);
    }
}
