package dev.skiff.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class LogContextTest {

    @Test
    void putsTheRequestAndTraceIntoTheThreadsContextUntilClosed() {
        MDC.put("user", "ada");
        try (var scope = LogContext.open("req-1", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")) {
            assertThat(MDC.get(LogContext.REQUEST_ID)).isEqualTo("req-1");
            assertThat(MDC.get(LogContext.TRACE_ID)).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(MDC.get(LogContext.SPAN_ID)).isEqualTo("00f067aa0ba902b7");
            assertThat(LogContext.requestId()).contains("req-1");
            assertThat(LogContext.traceparent()).contains("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        }
        assertThat(LogContext.traceparent()).isEmpty();
        assertThat(MDC.get(LogContext.REQUEST_ID)).isNull();
        assertThat(MDC.get("user")).isEqualTo("ada");
        MDC.clear();
    }

    @Test
    void aCallerThatChoseNotToSampleIsToldTheSameDownstream() {
        try (var scope = LogContext.open("req-1", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")) {
            assertThat(LogContext.traceparent()).contains("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
        }
        try (var scope = LogContext.open("req-2", "not a traceparent")) {
            assertThat(LogContext.traceparent()).isEmpty();
        }
    }

    @Test
    void carriesTheContextIntoAnotherThreadAndLeavesThatThreadAsItWas() throws Exception {
        var seen = new AtomicReference<String>();
        var pool = Executors.newSingleThreadExecutor();
        try {
            var wrapped = LogContext.wrap(pool);
            try (var scope = LogContext.open("req-2", null)) {
                pool.submit(() -> { }).get();
                wrapped.execute(() -> seen.set(MDC.get(LogContext.REQUEST_ID)));
            }
            pool.submit(() -> { }).get();
            assertThat(seen.get()).isEqualTo("req-2");
            assertThat(pool.submit(() -> MDC.get(LogContext.REQUEST_ID)).get()).isNull();
            assertThat(Thread.ofVirtual().start(LogContext.wrap(() -> seen.set("virtual " + MDC.get("request_id"))))
                    .join(java.time.Duration.ofSeconds(5))).isTrue();
            assertThat(seen.get()).isEqualTo("virtual null");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theWaysTheDocsShowCarryTheRequestIdToAnExecutorsThread() throws Exception {
        var log = org.slf4j.LoggerFactory.getLogger(LogContextTest.class);
        var executor = Executors.newSingleThreadExecutor();
        var seen = new AtomicReference<String>();
        try (var scope = LogContext.open("req-3", null)) {
            // snippet:wrap
            executor.execute(LogContext.wrap(() -> log.info("sent the confirmation email")));
            Executor traced = LogContext.wrap(executor);
            // end:wrap
            traced.execute(() -> seen.set(MDC.get(LogContext.REQUEST_ID)));
        } finally {
            executor.shutdown();
            assertThat(executor.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(seen.get()).isEqualTo("req-3");
    }
}
