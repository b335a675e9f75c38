package dev.skiff.http.internal;

import dev.skiff.internal.CoreSettings;
import io.undertow.util.HeaderMap;
import io.undertow.util.HttpString;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Cross-origin resource sharing, from {@code http.cors}: the answer to a browser's preflight,
 * given on the I/O thread before any filter runs, and the headers of an allowed origin's requests.
 * An origin that is not allowed gets no CORS header, so the browser keeps the answer from its page;
 * CORS is no authentication, and the request is served as any other.
 */
final class CorsPolicy {

    static final HttpString ORIGIN = HttpString.tryFromString("Origin");
    static final HttpString REQUEST_METHOD = HttpString.tryFromString("Access-Control-Request-Method");
    static final HttpString REQUEST_HEADERS = HttpString.tryFromString("Access-Control-Request-Headers");
    private static final HttpString ALLOW_ORIGIN = HttpString.tryFromString("Access-Control-Allow-Origin");
    private static final HttpString ALLOW_CREDENTIALS = HttpString.tryFromString("Access-Control-Allow-Credentials");
    private static final HttpString EXPOSE_HEADERS = HttpString.tryFromString("Access-Control-Expose-Headers");

    private final CoreSettings.Cors settings;
    private final Set<String> origins;
    private final boolean anyOrigin;
    private final Set<String> headers;
    private final String exposed;

    CorsPolicy(CoreSettings.Cors settings) {
        this.settings = settings;
        this.origins = settings.allowedOrigins().stream().map(o -> o.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.anyOrigin = origins.contains("*");
        this.headers = settings.allowedHeaders().stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.exposed = String.join(", ", settings.exposedHeaders());
    }

    boolean enabled() {
        return settings.enabled();
    }

    private boolean allows(String origin) {
        return anyOrigin || origins.contains(origin.toLowerCase(Locale.ROOT));
    }

    /** The headers of a request from another origin, on the response as it starts: an error's included. */
    void answer(String origin, HeaderMap response) {
        if (!allows(origin)) {
            return;
        }
        allowOrigin(origin, response::put);
        if (!exposed.isEmpty()) {
            response.put(EXPOSE_HEADERS, exposed);
        }
    }

    private void allowOrigin(String origin, java.util.function.BiConsumer<HttpString, String> put) {
        // "*" only when no credentials go with it; else the origin itself, which is why answers vary by it.
        put.accept(ALLOW_ORIGIN, anyOrigin && !settings.allowCredentials() ? "*" : origin);
        if (settings.allowCredentials()) {
            put.accept(ALLOW_CREDENTIALS, "true");
        }
    }

    /**
     * The answer to a preflight.
     *
     * @param routeMethods the methods the route asked for answers
     * @return the problem when the origin, method or a header is not allowed; else null, and the
     *     headers of the 204 are in {@code headersOut}
     */
    Problem preflight(String origin, String method, String requestHeaders, Set<String> routeMethods,
            Map<String, String> headersOut) {
        headersOut.put("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        if (!allows(origin)) {
            return new Problem(403, "the origin " + shown(origin) + " may not call this service; the origins allowed"
                    + " are set by http.cors.allowed-origins", headersOut, false);
        }
        Set<String> methods = settings.allowedMethods().isEmpty() ? routeMethods
                : Set.copyOf(settings.allowedMethods());
        if (!methods.contains(method)) {
            return new Problem(403, "a page of " + shown(origin) + " may not use " + shown(method) + " here; it may use "
                    + String.join(", ", methods.stream().sorted().toList()), headersOut, false);
        }
        String asked = requestHeaders == null ? "" : requestHeaders.trim();
        if (!asked.isEmpty()) {
            for (String header : asked.split(",")) {
                String name = header.trim().toLowerCase(Locale.ROOT);
                if (!name.isEmpty() && !headers.contains(name)) {
                    return new Problem(403, "a page of " + shown(origin) + " may not send the header " + shown(name)
                            + "; the headers allowed are set by http.cors.allowed-headers", headersOut, false);
                }
            }
        }
        var answer = new LinkedHashMap<String, String>();
        allowOrigin(origin, (name, value) -> answer.put(name.toString(), value));
        answer.put("Access-Control-Allow-Methods", String.join(", ", methods.stream().sorted().toList()));
        if (!asked.isEmpty()) {
            answer.put("Access-Control-Allow-Headers", String.join(", ", settings.allowedHeaders()));
        }
        answer.put("Access-Control-Max-Age", Long.toString(settings.maxAge().toSeconds()));
        headersOut.putAll(answer);
        return null;
    }

    private static String shown(String text) {
        return "\"" + (text.length() > 100 ? text.substring(0, 100) + "…" : text) + "\"";
    }
}
