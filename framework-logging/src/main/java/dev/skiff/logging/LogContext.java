package dev.skiff.logging;

import dev.skiff.logging.internal.TraceParent;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.slf4j.MDC;

/**
 * The request a thread is serving, as every log line written on that thread shows it:
 * {@code request_id}, and {@code trace.id} and {@code span.id} when a W3C {@code traceparent}
 * came in.
 *
 * <p>Skiff's HTTP server opens a context for every request; application code only needs
 * {@link #wrap(Runnable)} (or {@link #wrap(Executor)}) to carry it into work handed to another
 * thread.
 *
 * {@snippet :
 * try (var scope = LogContext.open(requestId, traceparent)) {
 *     log.info("served");                 // carries request_id and trace.id
 *     executor.execute(LogContext.wrap(() -> log.info("later")));   // so does this line
 * }
 * }
 */
public final class LogContext {

    /** The field that holds the request id. */
    public static final String REQUEST_ID = "request_id";
    /** The field that holds the W3C trace id. */
    public static final String TRACE_ID = "trace.id";
    /** The field that holds the W3C parent span id. */
    public static final String SPAN_ID = "span.id";

    private LogContext() {}

    /** What {@link #open} replaced; closing it puts that back. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        /** Restores the context the thread had before. */
        @Override
        void close();
    }

    /**
     * Puts a request into the current thread's log context until the scope is closed.
     *
     * @param requestId the request's id, already checked to be safe to log
     * @param traceparent the incoming {@code traceparent} header, or null; an invalid one is ignored
     * @return the scope to close when the request is done
     */
    public static Scope open(String requestId, String traceparent) {
        Objects.requireNonNull(requestId, "requestId");
        Map<String, String> previous = MDC.getCopyOfContextMap();
        MDC.put(REQUEST_ID, requestId);
        Optional<TraceParent> trace = TraceParent.parse(traceparent);
        if (trace.isPresent()) {
            MDC.put(TRACE_ID, trace.get().traceId());
            MDC.put(SPAN_ID, trace.get().parentId());
            MDC.put(TraceParent.FLAGS_KEY, trace.get().flags());
        } else {
            MDC.remove(TRACE_ID);
            MDC.remove(SPAN_ID);
            MDC.remove(TraceParent.FLAGS_KEY);
        }
        return () -> restore(previous);
    }

    /**
     * Returns the W3C {@code traceparent} to send on a call made in this context, so that the
     * trace goes on through it: the current span as parent, with the trace's sampling decision.
     * Skiff's HTTP client sends it by itself; this is for other transports, such as a message's
     * headers.
     *
     * @return the header's value, or empty outside a traced request
     */
    public static Optional<String> traceparent() {
        String traceId = MDC.get(TRACE_ID);
        String spanId = MDC.get(SPAN_ID);
        if (traceId == null || spanId == null) {
            return Optional.empty();
        }
        String flags = MDC.get(TraceParent.FLAGS_KEY);
        return Optional.of(new TraceParent(traceId, spanId, flags == null ? "01" : flags).header());
    }

    /** {@return the request id of the current thread's context, if any} */
    public static Optional<String> requestId() {
        return Optional.ofNullable(MDC.get(REQUEST_ID));
    }

    /**
     * Carries the current context into a task run on another thread.
     *
     * @param task the task
     * @return a task that runs {@code task} inside the context captured now
     */
    public static Runnable wrap(Runnable task) {
        Map<String, String> captured = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            restore(captured);
            try {
                task.run();
            } finally {
                restore(previous);
            }
        };
    }

    /**
     * Carries the current context into a task run on another thread.
     *
     * @param task the task
     * @param <T> what the task returns
     * @return a task that runs {@code task} inside the context captured now
     */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Map<String, String> captured = MDC.getCopyOfContextMap();
        return () -> {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            restore(captured);
            try {
                return task.call();
            } finally {
                restore(previous);
            }
        };
    }

    /**
     * Returns an executor that carries the submitting thread's context into every task.
     *
     * @param executor the executor that runs the tasks
     * @return the wrapping executor
     */
    public static Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        return task -> executor.execute(wrap(task));
    }

    private static void restore(Map<String, String> context) {
        if (context == null) {
            MDC.clear();
        } else {
            MDC.setContextMap(context);
        }
    }
}
