package dev.skiff.logging.internal;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Logback's first configuration, found through its service loader: JSON on stdout at INFO, and
 * java.util.logging routed into SLF4J, so that no line leaves the process in another format.
 */
public final class StdoutConfigurator extends ContextAwareBase implements Configurator {

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

        StdoutAppender.install(context, true, Map.of());
        context.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(Level.INFO);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
