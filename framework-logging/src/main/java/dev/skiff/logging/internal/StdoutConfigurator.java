package dev.skiff.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
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
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
