package dev.skiff.internal;

import java.lang.invoke.LambdaMetafactory;
import java.lang.management.ManagementFactory;
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

    /**
     * Routes SIGTERM and SIGINT to {@code handler}, which receives {@code TERM} or {@code INT}.
     *
     * @return false when the JVM offers no way to handle signals
     */
    public static boolean handle(Consumer<String> handler) {
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
                install.invoke(signal.invoke(signalName), signalHandler);
            }
            return true;
        } catch (Throwable e) {
            if (e instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return false;
        }
    }

    /**
     * {@return whether the JVM was started with {@code -Xrs} (on its command line or in
     * {@code JAVA_TOOL_OPTIONS}): it then leaves SIGTERM and SIGINT to the operating system, which
     * ends the process at once, and runs no shutdown hook for them}
     */
    public static boolean reducedByJvm() {
        try {
            return ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-Xrs");
        } catch (RuntimeException | LinkageError e) { // no java.management in this runtime
            return false;
        }
    }

    /** The handler's one method: a signal came. */
    private static void received(Consumer<String> handler, MethodHandle name, Object signal) throws Throwable {
        handler.accept((String) name.invokeExact(signal));
    }
}
