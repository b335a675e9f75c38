package dev.skiff.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * How requests and calls are traced: by the {@code framework-tracing} module when it is on the
 * class path and configured ({@code OTEL_EXPORTER_OTLP_ENDPOINT}), else by {@link #NONE}, which
 * makes no span and passes the caller's {@code traceparent} on as it came.
 */
public interface Tracing {

    /** A span of this service, as far as the HTTP layer needs one. */
    interface Span {

        /**
         * {@return the W3C {@code traceparent} of this span: what the log context shows while it
         * is current, and what a call made within it sends; null when there is no trace}
         */
        String traceparent();

        /**
         * Ends the span.
         *
         * @param status the response's status code, or 0 when no response came
         * @param errorType what failed, such as {@code java.net.ConnectException} or {@code 503}, or
         *     null when nothing did
         */
        void end(int status, String errorType);
    }

    /**
     * A request being served, in the words of OpenTelemetry's HTTP conventions.
     *
     * @param method the method, {@code OTHER} for one outside the standard ones
     * @param originalMethod the method as the client sent it
     * @param route the route template, or null when no route matched
     * @param scheme {@code http} or {@code https}
     * @param path the path
     * @param serverAddress the host the client asked for
     * @param serverPort the port it asked on
     * @param clientAddress the peer's address
     * @param userAgent the {@code User-Agent} header, or null
     * @param traceparent the incoming {@code traceparent} header, or null
     */
    record ServerRequest(String method, String originalMethod, String route, String scheme, String path,
                         String serverAddress, int serverPort, String clientAddress, String userAgent,
                         String traceparent) {}

    /** Starts the span of a request being served. */
    Span server(ServerRequest request);

    /**
     * Starts the span of one attempt of a call to a backing service.
     *
     * @param client the name the service was asked for by ({@code app.http(name)})
     * @param method the call's method
     * @param uri the URL called
     * @param resendCount 0 for the first attempt, then 1, 2, …
     * @param parentTraceparent the current context's {@code traceparent}, or null outside a trace
     */
    Span client(String client, String method, URI uri, int resendCount, String parentTraceparent);

    /** {@return whether spans are made and exported} */
    boolean enabled();

    /**
     * Exports what is pending and stops, within {@code timeout}: what is not out by then is lost.
     *
     * @param timeout the most this may take
     * @return whether everything pending went out
     */
    boolean close(Duration timeout);

    /** No tracing: the caller's context passes through; nothing is made or exported. */
    Tracing NONE = new Tracing() {
        @Override
        public Span server(ServerRequest request) {
            return passThrough(request.traceparent());
        }

        @Override
        public Span client(String client, String method, URI uri, int resendCount, String parentTraceparent) {
            return passThrough(parentTraceparent);
        }

        private Span passThrough(String traceparent) {
            return new Span() {
                @Override
                public String traceparent() {
                    return traceparent;
                }

                @Override
                public void end(int status, String errorType) {
                    // nothing to end
                }
            };
        }

        @Override
        public boolean enabled() {
            return false;
        }

        @Override
        public boolean close(Duration timeout) {
            return true;
        }
    };

    /** What a tracing module provides, found with {@link ServiceLoader}. */
    interface Provider {

        /**
         * Creates the tracing the environment asks for.
         *
         * @param env the process's environment (or a test's settings), where {@code OTEL_*} are read
         * @param service the service's identity: {@code service.name}, {@code service.version},
         *     {@code service.environment}, {@code service.node.name} when known
         * @return the tracing, or {@link #NONE} when the environment does not turn it on
         * @throws IllegalArgumentException when an {@code OTEL_*} value is invalid, with a message
         *     that names it and says what to set
         */
        Tracing create(Map<String, String> env, Map<String, String> service);
    }

    /**
     * {@return the tracing of the first {@link Provider} on the class path, or {@link #NONE}}
     *
     * @param env the process's environment
     * @param service the service's identity
     * @throws IllegalArgumentException when an {@code OTEL_*} value is invalid
     */
    static Tracing load(Map<String, String> env, Map<String, String> service) {
        Iterator<Provider> providers = ServiceLoader.load(Provider.class, Tracing.class.getClassLoader()).iterator();
        return providers.hasNext() ? providers.next().create(env, service) : NONE;
    }
}
