package dev.skiff;

/**
 * A part of a service packaged to join it in one call: a backing service's client with its
 * settings, components, checks and meters. The framework's own parts join the same way: the
 * database ({@code framework-jdbc}) and tracing ({@code framework-tracing}) are modules found on the
 * class path.
 *
 * {@snippet :
 * app.module(new RatesModule());
 * }
 *
 * <p>What a module adds belongs to the process it is added to ({@code app.module(…)} for the
 * service, {@code worker.module(…)} in a process type's setup). Its components start before the
 * process's own, in the order modules were added, and stop after them; a one-off command runs
 * with them started, so that it can use the module's backing service. A module's
 * {@link Components#backingService} says which failures mean its service is unavailable: those
 * answer 503 with {@code Retry-After}, and a start that fails with one waits for the service rather
 * than ending the process.
 *
 * <p>A module in a jar of its own joins every service that has the jar on its class path when
 * the jar lists it in {@code META-INF/services/dev.skiff.Module}; such a module has a public
 * constructor without parameters.
 */
public interface Module {

    /** {@return the module's name in events and in the {@code check} command's report; the class's simple name unless overridden} */
    default String name() {
        return getClass().getSimpleName();
    }

    /**
     * Adds the module's parts to a process being set up: binds its configuration block
     * ({@code process.configuration().bind(…)}; a problem joins the one configuration report),
     * adds components, checks, backing services and meters. Starts nothing.
     *
     * @param process the process the module joins
     */
    void install(Components process);
}
