package dev.skiff.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.OnConsoleStatusListener;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.status.WarnStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Logback's own warnings after Skiff's configuration: printed as Logback prints them, once. */
class StdoutConfiguratorTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();

    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void aQuietConfigurationPrintsNothingAndTellsLogbackItIsDone() {
        context.getStatusManager().add(new InfoStatus("configured", this));

        StdoutConfigurator.reportProblems(context, out);

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        // With a listener on the context, Logback's provider does not print after the configuration.
        assertThat(StatusUtil.contextHasStatusListener(context)).isTrue();
    }

    @Test
    void logbacksOwnWarningIsPrintedWithWhatCameBefore() {
        context.getStatusManager().add(new InfoStatus("configured", this));
        context.getStatusManager().add(new WarnStatus("logback-core and logback-classic differ", this));

        StdoutConfigurator.reportProblems(context, out);

        assertThat(printed.toString(StandardCharsets.UTF_8))
                .contains("WARN", "logback-core and logback-classic differ")
                .contains("configured");
        assertThat(StatusUtil.contextHasStatusListener(context)).isTrue();
    }

    @Test
    void aListenerTheUserAskedForIsLeftToReportAlone() {
        var theirs = new OnConsoleStatusListener();
        theirs.setContext(context);
        context.getStatusManager().add(theirs);
        context.getStatusManager().add(new WarnStatus("a warning their listener shows", this));
        printed.reset();

        StdoutConfigurator.reportProblems(context, out);

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(context.getStatusManager().getCopyOfStatusListenerList()).containsExactly(theirs);
    }
}
