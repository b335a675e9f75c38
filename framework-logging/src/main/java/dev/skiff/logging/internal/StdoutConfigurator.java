package dev.skiff.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.util.StatusPrinter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logback's first configuration, found through its service loader: JSON on stdout at INFO, and
 * java.util.logging routed into SLF4J, so that no line leaves the process in another format.
 */
public final class StdoutConfigurator extends ContextAwareBase implements Configurator {

    private static final int DEFAULT_MAX_FIELD_LENGTH = 32_768;

    /** Called by Logback's service loader. */
    public StdoutConfigurator() {}

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        var propagator = new LevelChangePropagator();
        propagator.setContext(context);
        propagator.setResetJUL(true);
        propagator.start();
        context.addListener(propagator);

        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();

        // Before the configuration is read: JSON, nothing to redact yet but URL passwords,
        // credentials in headers and bearer tokens.
        var redactor = new Redactor(List::of, List.of(), DEFAULT_MAX_FIELD_LENGTH);
        StdoutAppender.install(context,
                StdoutAppender.jsonEncoder(context, Map.of(), redactor));
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        reportProblems(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Prints Logback's own warnings and errors so far, as Logback would after this configuration
     * (but for the line on how long this configuration took, which Logback adds after it returns),
     * and tells Logback that this is done. Logback prints them unless the context has a status
     * listener, and its printer's class builds a date formatter from the time-zone and locale data
     * even when there is nothing to print: some 4 ms of every start (8 with the time-zone data, which
     * Undertow reads at the first response anyway). Here the printer is loaded only when there is
     * something to print, and prints where Logback's would (stdout, unless the application
     * redirected it). A listener the user asked for ({@code -Dlogback.statusListenerClass}) is left
     * to do its work, as Logback would.
     */
    @SuppressWarnings("deprecation") // StatusPrinter: Logback's own call, honouring its setPrintStream
    static void reportProblems(LoggerContext context) {
        if (StatusUtil.contextHasStatusListener(context)) {
            return;
        }
        if (new StatusUtil(context).getHighestLevel(0) >= Status.WARN) {
            StatusPrinter.printInCaseOfErrorsOrWarnings(context);
        }
        context.getStatusManager().add(new NopStatusListener());
    }
}
