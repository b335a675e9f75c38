package dev.skiff.tracing.internal;

import dev.skiff.Components;
import dev.skiff.Module;
import dev.skiff.internal.Tracing;
import dev.skiff.lifecycle.Component;
import dev.skiff.modules.internal.ModuleSupport;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracing, as a module: a component that, stopped after the requests and calls have ended, sends
 * the spans still pending. Added before the application's components, it stops after them. Found on
 * the class path through {@code META-INF/services/dev.skiff.Module}; the tracing itself is made by
 * {@link OtelTracingProvider} once the launcher knows the process serves.
 */
public final class TracingModule implements Module {

    private static final Logger log = LoggerFactory.getLogger(TracingModule.class);
    /** The most the spans pending at shutdown may take to go out; a dead collector costs no more. */
    private static final Duration FLUSH = Duration.ofSeconds(1);

    @Override
    public String name() {
        return "tracing";
    }

    @Override
    public void install(Components process) {
        ModuleSupport support = ModuleSupport.of(process);
        process.component(Component.of("tracing", () -> {
            // The exporter started with the SDK.
        }, () -> {
            Tracing tracing = support.tracing();
            if (tracing.enabled() && !tracing.close(FLUSH)) {
                log.warn("spans not exported within {} ms at shutdown are lost: is the collector at"
                        + " OTEL_EXPORTER_OTLP_ENDPOINT reachable?", FLUSH.toMillis());
            }
        }));
    }
}
