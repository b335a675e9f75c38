package dev.skiff.lifecycle.internal;

import java.time.Duration;

/**
 * The second step of a shutdown: serving on with readiness down, until the parties that route
 * here have stopped sending.
 */
@FunctionalInterface
public interface Drain {

    /**
     * Returns once the parties that route here have had time to notice that readiness is down,
     * and at the latest after {@code max}.
     *
     * @param max the longest the drain may take: what the shutdown budget leaves for it
     * @throws InterruptedException if the shutdown's thread is interrupted
     */
    void await(Duration max) throws InterruptedException;
}
