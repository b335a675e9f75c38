package dev.skiff;

import dev.skiff.http.internal.HttpServer;
import org.slf4j.LoggerFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;

/**
 * How a running service ends: a signal, a fatal failure (such as a database that never came up),
 * or a test's stop, each leading to the one shutdown sequence; and the status it ends with. The
 * launcher waits on {@link #status()}; only {@code Skiff.run} ends the process.
 */
final class Ending {

    private final AtomicReference<HttpServer> server = new AtomicReference<>();
    private final AtomicReference<IntSupplier> shutdown = new AtomicReference<>();
    private final AtomicBoolean requested = new AtomicBoolean();
    /** Set when the process must end with a failure whatever the shutdown's outcome. */
    private final AtomicBoolean failed = new AtomicBoolean();
    private final CompletableFuture<Integer> status = new CompletableFuture<>();

    /** Names the server whose requests the metrics count. */
    void serving(HttpServer httpServer) {
        server.set(httpServer);
    }

    int activeRequests() {
        HttpServer current = server.get();
        return current == null ? 0 : current.activeRequests();
    }

    /**
     * Names what a stop runs: the lifecycle's shutdown, returning the exit status. Until then a
     * stop request is remembered and runs as soon as this is called.
     */
    void stopsWith(IntSupplier sequence) {
        shutdown.set(sequence);
        if (requested.get()) {
            runShutdown();
        }
    }

    /** Asks for the shutdown sequence; the first call starts it, the later ones change nothing. */
    void stop() {
        if (requested.compareAndSet(false, true) && shutdown.get() != null) {
            runShutdown();
        }
    }

    /** Ends the service through the shutdown sequence, with status 1 whatever its outcome. */
    void fatal(String reason) {
        LoggerFactory.getLogger(Skiff.class).atError().setMessage("{}; stopping").addArgument(reason)
                .addKeyValue("exit_code", 1).log();
        failed.set(true);
        stop();
    }

    /** {@return whether a fatal failure decided the status already: 1, whatever the shutdown's outcome} */
    boolean failed() {
        return failed.get();
    }

    /** {@return whether a stop was asked for} */
    boolean stopRequested() {
        return requested.get();
    }

    /** {@return the exit status, once the shutdown sequence has run; what {@code main} waits for} */
    CompletableFuture<Integer> status() {
        return status;
    }

    private void runShutdown() {
        IntSupplier sequence = shutdown.getAndSet(null);
        if (sequence == null) {
            return; // already running
        }
        Thread.ofPlatform().name("skiff-shutdown").start(() -> {
            int exitCode = 1;
            try {
                exitCode = sequence.getAsInt();
            } finally {
                status.complete(failed.get() ? 1 : exitCode);
            }
        });
    }

}
