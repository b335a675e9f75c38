package dev.skiff.http.internal;

import java.util.Optional;

/**
 * Turns a failure that a module owns into the answer a client gets: the database module's
 * "unavailable → 503", for one. The HTTP server asks each mapping in turn for an exception that a
 * handler or filter threw, and knows nothing of what the mappings understand. A mapping logs the
 * failure as it sees fit; the server logs nothing more for a mapped failure.
 */
@FunctionalInterface
public interface FailureMapping {

    /**
     * Answers a failure this mapping owns.
     *
     * @param failure what a handler or filter threw
     * @return the problem to answer with, or empty when the failure is not this mapping's
     */
    Optional<Problem> answer(Throwable failure);
}
