package dev.skiff.internal;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;

/**
 * Handles SIGTERM and SIGINT itself, so that the first one can be logged by name and a second one
 * logged instead of silently ignored. Uses the JDK's {@code sun.misc.Signal} (module
 * jdk.unsupported) through method handles: named in the source, it draws a compiler warning that
 * nothing can silence. Where it is missing, the JVM's own handling stays, and shutdown hooks still
 * run.
 */
public final class Signals {

    private Signals() {}

    /** What became of SIGTERM and SIGINT. */
    public enum Outcome {
        /** Routed to the handler. */
        HANDLED,
        /** This runtime has no {@code sun.misc.Signal}: the JVM's own handling runs the shutdown hooks. */
        HOOKS,
        /**
         * The JVM keeps them from Java ({@code -Xrs}, {@code -XX:+ReduceSignalUsage}): the operating
         * system ends the process at once, and no shutdown hook runs.
         */
        KEPT_BY_JVM
    }

    /** What to log, as a warning, for {@link Outcome#KEPT_BY_JVM}. */
    public static final String KEPT_WARNING = "the JVM keeps SIGTERM and SIGINT from Java (-Xrs or"
            + " -XX:+ReduceSignalUsage): either ends this process at once, with no drain, no component"
            + " stopped and its last log lines lost; remove the option from the java command line,"
            + " JAVA_TOOL_OPTIONS or JDK_JAVA_OPTIONS";

    /**
     * Routes SIGTERM and SIGINT to {@code handler}, which receives {@code TERM} or {@code INT}.
     *
     * @return whether they were routed, or why not
     */
    public static Outcome handle(Consumer<String> handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            MethodHandle name = lookup.findVirtual(signalClass, "getName", MethodType.methodType(String.class))
                    .asType(MethodType.methodType(String.class, Object.class));
            // A SignalHandler made as a lambda is: one class, where a Proxy made some twenty at startup.
            MethodType handle = MethodType.methodType(void.class, signalClass);
            Object signalHandler = LambdaMetafactory.metafactory(lookup, "handle",
                            MethodType.methodType(handlerClass, Consumer.class, MethodHandle.class), handle,
                            lookup.findStatic(Signals.class, "received", MethodType.methodType(void.class,
                                    Consumer.class, MethodHandle.class, Object.class)), handle)
                    .getTarget().invoke(handler, name);
            MethodHandle signal = lookup.findConstructor(signalClass, MethodType.methodType(void.class, String.class));
            MethodHandle install = lookup.findStatic(signalClass, "handle",
                    MethodType.methodType(handlerClass, signalClass, handlerClass));
            for (String signalName : new String[] {"TERM", "INT"}) {
                try {
                    install.invoke(signal.invoke(signalName), signalHandler);
                } catch (IllegalArgumentException kept) { // "Signal already used by VM or OS"
                    return Outcome.KEPT_BY_JVM;
                }
            }
            return Outcome.HANDLED;
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return Outcome.HOOKS;
        }
    }

    /** The handler's one method: a signal came. */
    private static void received(Consumer<String> handler, MethodHandle name, Object signal) throws Throwable {
        handler.accept((String) name.invokeExact(signal));
    }
}
