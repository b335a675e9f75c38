package dev.skiff.lifecycle;

/**
 * A part of a service that starts before it serves and stops after it drains: a pool, a
 * consumer, a scheduler, the HTTP server.
 *
 * <p>A lambda is enough: {@code lifecycle.register(Component.named("cache", cache::warm))}.
 * Components start in registration order and stop in reverse.
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
