package dev.skiff.lifecycle;

/** Thrown when a component fails to start, after what had started was stopped again. */
public final class StartupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The name of the component that failed to start. */
    private final String component;

    /**
     * Creates the exception.
     *
     * @param component the name of the component that failed
     * @param cause why it failed
     */
    public StartupException(String component, Throwable cause) {
        super("component '" + component + "' failed to start: " + cause, cause);
        this.component = component;
    }

    /** {@return the name of the component that failed to start} */
    public String component() {
        return component;
    }
}
