package dev.skiff.logging.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.status.InfoStatus;
import ch.qos.logback.core.status.OnConsoleStatusListener;
import ch.qos.logback.core.status.StatusUtil;
import ch.qos.logback.core.status.WarnStatus;
import ch.qos.logback.core.util.StatusPrinter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Logback's own warnings after Skiff's configuration: printed as and where Logback prints them, once. */
class StdoutConfiguratorTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final LoggerContext context = new LoggerContext();

    @BeforeEach
    @SuppressWarnings("deprecation") // Logback's printer, as Logback's provider calls it
    void capturePrinter() {
        StatusPrinter.setPrintStream(new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    @SuppressWarnings("deprecation")
    void restorePrinter() {
        StatusPrinter.setPrintStream(System.out);
    }

    @Test
    void aQuietConfigurationPrintsNothingAndTellsLogbackItIsDone() {
        context.getStatusManager().add(new InfoStatus("configured", this));

        StdoutConfigurator.reportProblems(context);

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        // With a listener on the context, Logback's provider does not print after the configuration.
        assertThat(StatusUtil.contextHasStatusListener(context)).isTrue();
    }

    @Test
    void logbacksOwnWarningIsPrintedWithWhatCameBefore() {
        context.getStatusManager().add(new InfoStatus("configured", this));
        context.getStatusManager().add(new WarnStatus("logback-core and logback-classic differ", this));

        StdoutConfigurator.reportProblems(context);

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

        StdoutConfigurator.reportProblems(context);

        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(context.getStatusManager().getCopyOfStatusListenerList()).containsExactly(theirs);
    }
}
