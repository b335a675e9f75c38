package dev.skiff.internal;

import java.util.Optional;

/**
 * Settings the launcher needs for itself.
 *
 * @param service the {@code service} block
 * @param http the {@code http} block
 */
public record CoreSettings(Service service, Http http) {

    /**
     * Who the service is, for every log event.
     *
     * @param name its name ({@code SERVICE_NAME}); the application's artifact name when unset
     * @param environment where it runs ({@code SERVICE_ENVIRONMENT})
     */
    public record Service(Optional<String> name, Optional<String> environment) {}

    /**
     * Where the HTTP server listens.
     *
     * @param host the interface ({@code HOST})
     * @param port the port, 0 for any free one ({@code PORT})
     */
    public record Http(String host, int port) {

        /** Rejects a port outside 0..65535 and an empty host. */
        public Http {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535 (0 picks a free port), got " + port);
            }
            if (host == null || host.isBlank()) {
                throw new IllegalArgumentException("host must name an interface, such as 0.0.0.0 or 127.0.0.1");
            }
        }
    }
}
