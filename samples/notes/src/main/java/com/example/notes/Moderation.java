package com.example.notes;

import dev.skiff.Components;
import dev.skiff.Module;
import dev.skiff.lifecycle.Component;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * The sample's own module: notes are checked by a moderation service before they are kept. It
 * shows what a module does: binds its configuration block, adds a component that reaches the
 * service when it starts, declares the service as a backing service (a note that cannot be checked
 * is a 503, and a start that cannot reach it waits), and counts what it does. Without
 * {@code MODERATION_URL} it adds nothing and every note is allowed.
 */
// snippet:module
public final class Moderation implements Module {

    /**
     * The {@code moderation} block.
     *
     * @param url the moderation service ({@code MODERATION_URL}); unset, notes are not moderated
     * @param timeout the longest one check may take ({@code MODERATION_TIMEOUT})
     */
    public record Settings(Optional<URI> url, Duration timeout) {}

    /** The moderation service could not be reached or did not answer in time. */
    public static final class Unavailable extends IOException {
        private static final long serialVersionUID = 1L;

        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private volatile Checker checker;

    @Override
    public String name() {
        return "moderation";
    }

    @Override
    public void install(Components process) {
        Settings settings = process.configuration().bind("moderation", Settings.class);
        process.command("moderate", "ask the moderation service whether a text may be kept (exit 0 if so, 2 if not)",
                args -> {
                    boolean allowed = allows(String.join(" ", args));
                    System.out.println(checker == null ? "allowed: MODERATION_URL is not set, nothing is moderated"
                            : allowed ? "allowed" : "refused");
                    return allowed ? 0 : 2;
                });
        if (settings.url().isEmpty()) {
            return;
        }
        var service = new Checker(settings.url().get(), settings.timeout(), process.metrics());
        process.component(Component.of("moderation", service::ping, service::close));
        process.backingService("moderation", service::ping, Unavailable.class::isInstance);
        checker = service;
    }

    /**
     * {@return whether the moderation service allows a text; true when there is none}
     *
     * @throws Unavailable when it cannot be asked: the request is answered 503
     */
    public boolean allows(String text) throws Unavailable, InterruptedException {
        Checker service = checker;
        return service == null || service.allows(text);
    }

    /** The client of the moderation service. */
    private static final class Checker {
        private final URI url;
        private final Duration timeout;
        private final HttpClient http;
        private final Timer calls;
        private final Counter rejected;

        Checker(URI url, Duration timeout, MeterRegistry metrics) {
            this.url = url;
            this.timeout = timeout;
            this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
            this.calls = Timer.builder("moderation.checks").description("Checks asked of the moderation service")
                    .register(metrics);
            this.rejected = Counter.builder("moderation.rejected").description("Notes the moderation service refused")
                    .register(metrics);
        }

        /** Asks the service whether it is there: the component's start, and the backing service's check. */
        void ping() throws Unavailable, InterruptedException {
            send(HttpRequest.newBuilder(url.resolve("/health")).timeout(timeout).GET().build());
        }

        boolean allows(String text) throws Unavailable, InterruptedException {
            Timer.Sample sample = Timer.start();
            HttpResponse<String> answer;
            try {
                answer = send(HttpRequest.newBuilder(url.resolve("/check")).timeout(timeout)
                        .POST(HttpRequest.BodyPublishers.ofString(text)).build());
            } finally {
                sample.stop(calls);
            }
            boolean allowed = answer.body().strip().equals("allow");
            if (!allowed) {
                rejected.increment();
            }
            return allowed;
        }

        private HttpResponse<String> send(HttpRequest request) throws Unavailable, InterruptedException {
            try {
                HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new Unavailable("the moderation service answered " + answer.statusCode(), null);
                }
                return answer;
            } catch (IOException e) {
                throw new Unavailable("the moderation service at " + url + " did not answer: " + e, e);
            }
        }

        void close() {
            http.close();
        }
    }
}
// end:module
