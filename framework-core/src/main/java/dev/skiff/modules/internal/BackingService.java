package dev.skiff.modules.internal;

import dev.skiff.http.internal.FailureMapping;
import dev.skiff.lifecycle.internal.Lifecycle;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * A backing service a process uses, as a module declared it: the one place where what its
 * failures mean is kept, for the HTTP server (what a request that hit one answers), the lifecycle
 * (whether a start that hit one waits) and the {@code check} command (whether it answers now).
 *
 * @param name its name, such as {@code database} or a client's {@code payments}
 * @param reach tries it once for the {@code check} command, returning what answered or throwing
 *     what went wrong; run with the module's components stopped
 * @param answers how a request whose handler let one of its failures through is answered
 * @param startWait for a component's start that failed because of it, how long the start may wait
 *     for it; empty when the failure is not its being unavailable
 */
public record BackingService(String name, Callable<String> reach, FailureMapping answers,
                             Function<Throwable, Optional<Lifecycle.Wait>> startWait) {}
