package dev.skiff.lifecycle.internal;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One component's {@code start()} or {@code stop()}, run on a thread of its own so that the
 * lifecycle's worker can wait for it within a budget and, when the budget runs out, leave it
 * behind and go on with the next step.
 */
final class Step {

    /** What a component's start or stop does. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    /** How a step ended, as far as its waiter saw. */
    sealed interface Outcome {}

    /** It returned. */
    record Done() implements Outcome {}

    /** It threw. */
    record Failed(Throwable failure) implements Outcome {}

    /** It was still running when its waiter stopped waiting; it was interrupted and left behind. */
    record Abandoned() implements Outcome {}

    private final CompletableFuture<Void> finished = new CompletableFuture<>();
    private final Thread thread;

    private Step(String name, Action action) {
        // A daemon: a step left behind must not keep the process alive.
        this.thread = Thread.ofPlatform().name("skiff-" + name.replace(' ', '-')).daemon(true).unstarted(() -> {
            try {
                action.run();
                finished.complete(null);
            } catch (Throwable e) {
                finished.completeExceptionally(e);
            }
        });
    }

    /** Starts {@code action} on a thread named after {@code name}, such as {@code stop database}. */
    static Step begin(String name, Action action) {
        var step = new Step(name, action);
        step.thread.start();
        return step;
    }

    /**
     * Waits for the step until {@code deadline} (by {@link System#nanoTime()}), or until
     * {@code wake} completes, whichever comes first.
     *
     * @return the outcome, or null when woken before the step ended and before the deadline
     */
    Outcome await(long deadline, CompletableFuture<?> wake) {
        long left = deadline - System.nanoTime();
        try {
            if (left > 0) {
                CompletableFuture.anyOf(finished, wake).get(left, TimeUnit.NANOSECONDS);
            }
        } catch (TimeoutException | ExecutionException e) {
            // Read below.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (finished.isDone()) {
            try {
                finished.join();
                return new Done();
            } catch (RuntimeException e) {
                return new Failed(e.getCause() == null ? e : e.getCause());
            }
        }
        if (System.nanoTime() - deadline >= 0 || Thread.currentThread().isInterrupted()) {
            thread.interrupt();
            return new Abandoned();
        }
        return null;
    }

    /** Waits for the step until {@code deadline}, whatever else happens. */
    Outcome await(long deadline) {
        Outcome outcome;
        do {
            outcome = await(deadline, new CompletableFuture<>());
        } while (outcome == null);
        return outcome;
    }

    /** {@return the nanoTime a duration from now, saturating far in the future} */
    static long deadline(Duration from) {
        long now = System.nanoTime();
        long nanos = from.compareTo(Duration.ofDays(365)) > 0 ? Duration.ofDays(365).toNanos() : from.toNanos();
        return now + nanos;
    }
}
