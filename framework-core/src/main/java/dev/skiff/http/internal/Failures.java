package dev.skiff.http.internal;

import dev.skiff.http.HttpException;
import dev.skiff.internal.Metrics;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The answer to what a handler or filter threw, and the one log event it deserves. Its events are
 * the request path's, on {@code Pipeline}'s logger.
 */
final class Failures {

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);

    private final List<FailureMapping> mappings;
    /** Set when the drain gives up on the requests left: their handlers are interrupted. */
    private volatile boolean abandoning;

    Failures(List<FailureMapping> mappings) {
        this.mappings = List.copyOf(mappings);
    }

    /** The drain gives up on the requests left: what their interrupted handlers throw is the shutdown's doing. */
    void abandon() {
        abandoning = true;
    }

    /**
     * The answer to a failure.
     *
     * @param meant whether the application answered so: then the headers its handler set stay
     *     (WWW-Authenticate with a 401); after an unexpected failure they are dropped
     */
    record Answer(Problem problem, boolean meant) {}

    /**
     * In turn: the server's own refusals; the application's mappings, innermost scope first (it
     * knows its failures best); an {@link HttpException}, the answer itself; the modules' mappings
     * (a database outage is a 503); the application's catch-all mappings; else a 500.
     */
    Answer answer(ExchangeContext ctx, Throwable e, RouteTable.Exceptions exceptions, String requestId) {
        if (abandoned(e)) {
            return new Answer(Problem.retryLater("the server is shutting down; retry").closing(), false);
        }
        if (e instanceof ProblemException refused) {
            return new Answer(refused.problem(), false);
        }
        Answer mapped = mapped(ctx, e, exceptions.find(e, false), requestId);
        if (mapped != null) {
            return mapped;
        }
        if (e instanceof HttpException http) {
            return new Answer(problem(http), true);
        }
        for (FailureMapping mapping : mappings) {
            Optional<Problem> answer = mapping.answer(e);
            if (answer.isPresent()) {
                return new Answer(answer.get(), false);
            }
        }
        mapped = mapped(ctx, e, exceptions.find(e, true), requestId);
        return mapped != null ? mapped : new Answer(logged(ctx, e, requestId), false);
    }

    private boolean abandoned(Throwable e) {
        return abandoning && (Thread.currentThread().isInterrupted()
                || HttpServer.hasCause(e, InterruptedException.class)
                || HttpServer.hasCause(e, java.io.InterruptedIOException.class));
    }

    private Answer mapped(ExchangeContext ctx, Throwable e, java.util.function.Function<Throwable, HttpException> mapping,
            String requestId) {
        if (mapping == null) {
            return null;
        }
        HttpException answer = mapped(ctx, e, mapping);
        return answer == null ? new Answer(serverFailed(requestId), false) : new Answer(problem(answer), true);
    }

    private Problem logged(ExchangeContext ctx, Throwable e, String requestId) {
        log.atError().setMessage("request {} {} failed").addArgument(Metrics.method(ctx.method()))
                .addArgument(ctx.path()).setCause(e).log();
        return serverFailed(requestId);
    }

    /**
     * The application mapped the failure: its answer, and a log event only when it says the server
     * failed; null when the mapping itself failed (logged).
     */
    private HttpException mapped(ExchangeContext ctx, Throwable e,
            java.util.function.Function<Throwable, HttpException> mapping) {
        HttpException answer;
        try {
            answer = mapping.apply(e);
        } catch (VirtualMachineError fatal) {
            throw fatal;
        } catch (RuntimeException | Error mappingFailed) {
            mappingFailed.addSuppressed(e);
            log.atError().setMessage("request {} {} failed, and so did the application's exception mapping for {}")
                    .addArgument(Metrics.method(ctx.method())).addArgument(ctx.path())
                    .addArgument(e.getClass().getName()).setCause(mappingFailed).log();
            return null;
        }
        if (answer == null) {
            log.atError().setMessage("request {} {} failed, and the application's exception mapping for {} returned"
                    + " null; return the HttpException to answer with").addArgument(Metrics.method(ctx.method()))
                    .addArgument(ctx.path()).addArgument(e.getClass().getName()).setCause(e).log();
            return null;
        }
        if (answer.status() >= 500) {
            log.atError().setMessage("request {} {} failed; answered {} by the application's exception mapping")
                    .addArgument(Metrics.method(ctx.method())).addArgument(ctx.path()).addArgument(answer.status())
                    .setCause(e).log();
        }
        return answer;
    }

    /** {@return the 500 of a failure nobody answered for} */
    static Problem serverFailed(String requestId) {
        return Problem.of(500, "the server failed to answer; quote request id " + requestId + " when reporting it");
    }

    private static Problem problem(HttpException http) {
        return new Problem(http.status(), http.getMessage(), http.headers(), false, http.type().orElse(null),
                http.title().orElse(null), http.members());
    }
}
