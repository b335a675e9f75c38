package dev.skiff.modules.internal;

import dev.skiff.Components;
import dev.skiff.internal.Tracing;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What the framework's own modules do beyond the public contract. The {@link Components} a module
 * is installed into provides it: {@code ModuleSupport.of(process)}.
 */
public interface ModuleSupport {

    /**
     * Provides what {@code app.database()} hands out in this process.
     *
     * @param database the data source; throws {@link dev.skiff.config.ConfigurationException}
     *     when none is configured, which joins the configuration report of a process that uses it
     */
    void provideDatabase(Supplier<DataSource> database);

    /** Declares a backing service with answers of its own. */
    void backingService(BackingService service);

    /** {@return the tracing of this process, as set once the invocation is known} */
    Tracing tracing();

    /**
     * {@return whether the process runs a one-off command or {@code check}: a backing service that
     * does not answer at start ends it at once, whatever its startup policy}
     */
    boolean oneOff();

    /** Ends the process with status 1, saying why: a backing service that will never be usable. */
    void fatal(String reason);

    /**
     * {@return the support of the process a module is installed into}
     *
     * @param process what {@link dev.skiff.Module#install} received
     */
    static ModuleSupport of(Components process) {
        if (process instanceof ModuleSupport support) {
            return support;
        }
        throw new IllegalArgumentException("a framework module is installed by Skiff's launcher into a process's"
                + " Components, got " + process.getClass().getName());
    }
}
