package dev.skiff.lifecycle;

/**
 * A part of a service that starts before it serves and stops after it drains: a pool, a
 * consumer, a scheduler, the HTTP server.
 *
 * <p>A lambda is enough for a start alone, {@code Component.named("cache", cache::warm)}, and two
 * for a start and a stop, {@code Component.of("consumer", consumer::start, consumer::close)}.
 * Components start in registration order and stop in reverse. Each start and each stop has a
 * budget: one that hangs is named and left behind, and the next one goes on.
 *
 * <p>A start that fails because a backing service is unavailable (the database's connection
 * refused, a client's {@code BackingServiceUnavailable}) is tried again with backoff while the
 * service waits, not ready: leave nothing half-done when {@code start()} throws.
 */
@FunctionalInterface
public interface Component {

    /**
     * Starts the component; called once, before the service is ready.
     *
     * @throws Exception if it cannot start; components already started are then stopped
     */
    void start() throws Exception;

    /**
     * Stops the component; called once, after every component registered later has stopped.
     *
     * @throws Exception if it cannot stop cleanly; the next component still stops
     */
    default void stop() throws Exception {}

    /** {@return the name used in log events; the class's simple name unless overridden} */
    default String name() {
        String simple = getClass().getSimpleName();
        int lambda = simple.indexOf("$$Lambda");
        return lambda > 0 ? simple.substring(0, lambda) : simple;
    }

    /**
     * Makes a component of a start and a stop.
     *
     * {@snippet :
     * app.component(Component.of("consumer", consumer::start, consumer::close));
     * }
     *
     * @param name what operators see, such as {@code consumer}
     * @param start what starts it
     * @param stop what stops it, such as its {@code close}
     * @return a component that calls {@code start} to start and {@code stop} to stop
     */
    static Component of(String name, Component start, AutoCloseable stop) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(start, "start");
        java.util.Objects.requireNonNull(stop, "stop");
        return new Component() {
            @Override
            public void start() throws Exception {
                start.start();
            }

            @Override
            public void stop() throws Exception {
                stop.close();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }

    /**
     * Gives a component a name for log events.
     *
     * @param name what operators see, such as {@code http} or {@code purge-job}
     * @param component the component to name
     * @return a component that starts and stops {@code component}
     */
    static Component named(String name, Component component) {
        return new Component() {
            @Override
            public void start() throws Exception {
                component.start();
            }

            @Override
            public void stop() throws Exception {
                component.stop();
            }

            @Override
            public String name() {
                return name;
            }
        };
    }
}
