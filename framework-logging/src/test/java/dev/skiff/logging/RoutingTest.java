package dev.skiff.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Third-party logging APIs end up in Skiff's one output. */
class RoutingTest {

    private final LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();

    @BeforeEach
    void capture() {
        captured.setContext(context);
        captured.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(captured);
    }

    @AfterEach
    void release() {
        context.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(captured);
    }

    @Test
    void skiffsOutputIsTheOnlyAppenderWithNoConfigurationFile() {
        var root = context.getLogger(Logger.ROOT_LOGGER_NAME);

        assertThat(root.getAppender("skiff-stdout")).isNotNull();
        assertThat(Thread.currentThread().getContextClassLoader().getResource("logback.xml")).isNull();
    }

    @Test
    void javaUtilLoggingIsRoutedIntoIt() {
        java.util.logging.Logger.getLogger("org.postgresql.Driver").warning("connection refused");

        assertThat(captured.list).anySatisfy(e -> {
            assertThat(e.getLoggerName()).isEqualTo("org.postgresql.Driver");
            assertThat(e.getFormattedMessage()).isEqualTo("connection refused");
            assertThat(e.getLevel().toString()).isEqualTo("WARN");
        });
    }
}
