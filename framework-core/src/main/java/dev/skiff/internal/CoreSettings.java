package dev.skiff.internal;

import dev.skiff.config.ByteSize;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Settings the launcher binds at startup, so that a bad value stops the process before anything
 * starts.
 *
 * @param service the {@code service} block
 * @param http the {@code http} block
 * @param management the {@code management} block
 * @param startup the {@code startup} block
 * @param shutdown the {@code shutdown} block
 */
public record CoreSettings(Service service, Http http, Management management, Startup startup,
                           Shutdown shutdown) {

    /**
     * Who the service is, for every log event.
     *
     * @param name its name ({@code SERVICE_NAME}); the application's artifact name when unset
     * @param environment where it runs ({@code SERVICE_ENVIRONMENT})
     */
    public record Service(Optional<String> name, Optional<String> environment) {}

    /**
     * Where the HTTP server listens, and its limits.
     *
     * @param host the interface ({@code HOST})
     * @param port the port, 0 for any free one ({@code PORT})
     * @param maxBodySize the largest request body accepted ({@code HTTP_MAX_BODY_SIZE}); larger is 413
     * @param maxBufferedBodies the memory that request bodies being read may take together
     *     ({@code HTTP_MAX_BUFFERED_BODIES}); a body that would pass it is answered 503
     * @param accessLog whether every request is logged as one event ({@code HTTP_ACCESS_LOG})
     * @param maxConcurrentRequests requests served at once; beyond it, 503 with Retry-After
     *     ({@code HTTP_MAX_CONCURRENT_REQUESTS})
     * @param requestHeadTimeout the longest a client may take to send a request's line and headers
     *     ({@code HTTP_REQUEST_HEAD_TIMEOUT}); a slower one is disconnected
     * @param bodyReadTimeout the longest a client may take to send a whole request body
     *     ({@code HTTP_BODY_READ_TIMEOUT}); a slower one is answered 408 and disconnected
     * @param requestTimeout the longest a handler may take to answer ({@code HTTP_REQUEST_TIMEOUT}),
     *     not counting the wait for the request body; past it the client gets 503 and the handler's
     *     thread is interrupted
     * @param writeTimeout the longest a write to a client may make no progress
     *     ({@code HTTP_WRITE_TIMEOUT}); a client that stops reading its response is disconnected
     * @param trustedProxies the proxies whose {@code X-Forwarded-For} names the client in the access
     *     log ({@code HTTP_TRUSTED_PROXIES}: addresses or networks); none by default, so the
     *     client is the connection's peer
     * @param cors which other origins' browser pages may call the service ({@code http.cors})
     */
    public record Http(String host, int port, ByteSize maxBodySize, ByteSize maxBufferedBodies, boolean accessLog,
                       int maxConcurrentRequests,
                       Duration requestHeadTimeout, Duration bodyReadTimeout, Duration requestTimeout,
                       Duration writeTimeout, List<String> trustedProxies, Cors cors) {

        /** {@return settings with no trusted proxy and no CORS} */
        public static Http of(String host, int port, ByteSize maxBodySize, ByteSize maxBufferedBodies, boolean accessLog,
                int maxConcurrentRequests, Duration requestHeadTimeout, Duration bodyReadTimeout,
                Duration requestTimeout, Duration writeTimeout) {
            return new Http(host, port, maxBodySize, maxBufferedBodies, accessLog, maxConcurrentRequests, requestHeadTimeout,
                    bodyReadTimeout, requestTimeout, writeTimeout, List.of(), Cors.NONE);
        }

        /** Rejects a port outside 0..65535 and an empty host. */
        public Http {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535 (0 picks a free port), got " + port);
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must name an interface, such as 0.0.0.0 or 127.0.0.1");
            }
            if (maxBodySize.bytes() > 1L << 30) {
                throw new IllegalArgumentException("max-body-size must be 1GiB or less (bodies are read into memory),"
                        + " got " + maxBodySize);
            }
            if (maxBufferedBodies.bytes() < maxBodySize.bytes()) {
                throw new IllegalArgumentException("max-buffered-bodies (" + maxBufferedBodies + ") must be at least"
                        + " max-body-size (" + maxBodySize + "), or no body of the largest size could ever be read");
            }
            if (maxConcurrentRequests < 1) {
                throw new IllegalArgumentException("max-concurrent-requests must be at least 1, got " + maxConcurrentRequests);
            }
            if (requestTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("request-timeout must be 100ms or more, got " + requestTimeout);
            }
            if (bodyReadTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("body-read-timeout must be 100ms or more, got " + bodyReadTimeout);
            }
            if (writeTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("write-timeout must be 100ms or more, got " + writeTimeout);
            }
            if (requestHeadTimeout.toMillis() < 100) {
                throw new IllegalArgumentException("request-head-timeout must be 100ms or more, got " + requestHeadTimeout);
            }
            trustedProxies = List.copyOf(trustedProxies);
            TrustedProxies.parse(trustedProxies); // names the first entry that is not an address or network
        }

        /** {@return these settings for a listener of the management endpoints alone, on {@code port}} */
        public Http managementOnly(int port) {
            return new Http(host, port, maxBodySize, maxBufferedBodies, false, maxConcurrentRequests, requestHeadTimeout,
                    bodyReadTimeout, requestTimeout, writeTimeout, trustedProxies, Cors.NONE);
        }
    }

    /**
     * Cross-origin resource sharing: which web pages of other origins a browser lets call the
     * service, and how.
     *
     * @param allowedOrigins the origins allowed, such as {@code https://app.example.com}
     *     ({@code HTTP_CORS_ALLOWED_ORIGINS}); none by default, so CORS is off; {@code *} for any
     * @param allowedMethods the methods a page may use ({@code HTTP_CORS_ALLOWED_METHODS}); when
     *     empty, those of the route asked for
     * @param allowedHeaders the request headers a page may send beyond the simple ones
     *     ({@code HTTP_CORS_ALLOWED_HEADERS})
     * @param exposedHeaders the response headers a page may read beyond the simple ones
     *     ({@code HTTP_CORS_EXPOSED_HEADERS})
     * @param allowCredentials whether a page may send cookies and credentials
     *     ({@code HTTP_CORS_ALLOW_CREDENTIALS}); never with {@code *}
     * @param maxAge how long a browser may keep a preflight's answer ({@code HTTP_CORS_MAX_AGE})
     */
    public record Cors(List<String> allowedOrigins, List<String> allowedMethods, List<String> allowedHeaders,
                       List<String> exposedHeaders, boolean allowCredentials, Duration maxAge) {

        /** No origin allowed: CORS off. */
        public static final Cors NONE = new Cors(List.of(), List.of(), List.of(), List.of(), false, Duration.ZERO);

        private static final java.util.regex.Pattern ORIGIN =
                java.util.regex.Pattern.compile("(?i)https?://[a-z0-9.\\[\\]:-]+(:[0-9]{1,5})?");
        private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");

        /** Rejects an origin that is not one, {@code *} with credentials, and names that are not tokens. */
        public Cors {
            allowedOrigins = List.copyOf(allowedOrigins);
            allowedMethods = List.copyOf(allowedMethods);
            allowedHeaders = List.copyOf(allowedHeaders);
            exposedHeaders = List.copyOf(exposedHeaders);
            for (String origin : allowedOrigins) {
                if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
                    throw new IllegalArgumentException("allowed-origins holds \"" + origin + "\", which is not an origin:"
                            + " a scheme, a host and a port if not the default, such as https://app.example.com"
                            + " (no path, no trailing slash), or * for any");
                }
            }
            if (allowCredentials && allowedOrigins.contains("*")) {
                throw new IllegalArgumentException("allow-credentials = true cannot go with allowed-origins = *: any site"
                        + " could then call the service with its users' cookies, and browsers refuse it; list the"
                        + " origins instead");
            }
            for (var names : List.of(allowedMethods, allowedHeaders, exposedHeaders)) {
                for (String name : names) {
                    if (!TOKEN.matcher(name).matches()) {
                        throw new IllegalArgumentException("\"" + name + "\" is not a method or header name");
                    }
                }
            }
            if (maxAge.isNegative()) {
                throw new IllegalArgumentException("max-age must be 0s or more, got " + maxAge);
            }
        }

        /** {@return whether any origin is allowed: CORS is on} */
        public boolean enabled() {
            return !allowedOrigins.isEmpty();
        }
    }

    /**
     * Where the management endpoints listen.
     *
     * @param port a separate port for them ({@code MANAGEMENT_PORT}); the main port when empty
     */
    public record Management(Optional<Integer> port) {

        /** Rejects a port outside 0..65535. */
        public Management {
            port.ifPresent(p -> {
                if (p < 0 || p > 65535) {
                    throw new IllegalArgumentException("port must be from 0 to 65535, got " + p);
                }
            });
        }
    }

    /**
     * How long starting may take.
     *
     * @param timeout the budget of all components' start ({@code STARTUP_TIMEOUT}), not counting
     *     the time spent waiting for backing services
     * @param maxWait the longest a component's start waits for a backing service reached over HTTP
     *     or a module's own ({@code STARTUP_MAX_WAIT}); 0s ends the start at once. The database has
     *     its own, {@code database.startup-max-wait}.
     */
    public record Startup(Duration timeout, Duration maxWait) {

        /** Rejects a budget that is not positive. */
        public Startup {
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("timeout must be more than 0s, got " + timeout);
            }
            if (maxWait.isNegative()) {
                throw new IllegalArgumentException("max-wait must be 0s or more, got " + maxWait);
            }
        }
    }

    /**
     * The shutdown as configured; unset parts follow the detected platform.
     *
     * @param drainDelay {@code SHUTDOWN_DRAIN_DELAY}
     * @param timeout {@code SHUTDOWN_TIMEOUT}
     */
    public record Shutdown(Optional<Duration> drainDelay, Optional<Duration> timeout, Optional<Duration> gracePeriod) {}
}
