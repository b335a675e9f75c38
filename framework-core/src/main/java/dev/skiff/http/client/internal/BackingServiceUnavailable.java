package dev.skiff.http.client.internal;

import dev.skiff.http.internal.FailureMapping;
import dev.skiff.http.internal.Problem;
import java.io.IOException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * A call to a backing service over HTTP that could not reach it or got no answer in time, after
 * the retries that were safe. Its {@link #MAPPING} answers it with 503 and {@code Retry-After},
 * wherever in a handler's exception it surfaces: not a 500, since nothing in this service broke.
 */
public final class BackingServiceUnavailable extends IOException {

    /** How many exceptions of one chain are looked at: chains can be cyclic. */
    private static final int MOST_EXCEPTIONS = 64;

    /** The answer to a request whose handler let such a failure through. */
    public static final FailureMapping MAPPING = failure -> find(failure).map(unavailable -> Problem.retryLater(
            "a service this one depends on is unavailable; try again shortly"));

    /**
     * {@return the answer to a request whose handler let a failure of the client of {@code service}
     * through: the client has logged the outage itself, once}
     *
     * @param service the client's name
     */
    public static FailureMapping mapping(String service) {
        return failure -> find(failure).filter(call -> call.service().equals(service)).map(call -> Problem.retryLater(
                "a service this one depends on is unavailable; try again shortly"));
    }

    private static final long serialVersionUID = 1L;

    private final String service;

    BackingServiceUnavailable(String service, String message, Throwable cause) {
        super(message, cause);
        this.service = service;
    }

    /** {@return the name of the backing service, as given to {@code app.http(name)}} */
    public String service() {
        return service;
    }

    /** {@return the call that found its service unavailable, anywhere in a failure's causes} */
    public static Optional<BackingServiceUnavailable> find(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.size() < MOST_EXCEPTIONS && seen.add(t); t = t.getCause()) {
            if (t instanceof BackingServiceUnavailable unavailable) {
                return Optional.of(unavailable);
            }
        }
        return Optional.empty();
    }
}
