package dev.skiff.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Handles SIGTERM and SIGINT itself, so that the first one can be logged by name and a second one
 * logged instead of silently ignored. Uses the JDK's {@code sun.misc.Signal} (module
 * jdk.unsupported) by reflection; where it is missing, the JVM's own handling stays, and shutdown
 * hooks still run.
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
            InvocationHandler invocation = (proxy, method, args) -> {
                if (method.getName().equals("handle") && args != null && args.length == 1) {
                    String name = (String) signalClass.getMethod("getName").invoke(args[0]);
                    handler.accept(name);
                    return null;
                }
                return switch (method.getName()) {
                    case "toString" -> "skiff signal handler";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                };
            };
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, invocation);
            for (String name : new String[] {"TERM", "INT"}) {
                Object signal = signalClass.getConstructor(String.class).newInstance(name);
                signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
            }
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
