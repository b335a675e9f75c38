package dev.skiff.jdbc.internal;

import dev.skiff.config.Secret;
import java.time.Duration;
import java.util.Optional;

/**
 * The {@code database} block: the database to pool.
 *
 * @param url {@code postgres://…} or {@code jdbc:…} ({@code DATABASE_URL})
 * @param user the user, overriding the URL's ({@code DATABASE_USER})
 * @param password the password, overriding the URL's ({@code DATABASE_PASSWORD})
 * @param poolSize connections in the pool ({@code DATABASE_POOL_SIZE})
 * @param connectionTimeout the longest a request waits for a connection before failing with 503
 *     ({@code DATABASE_CONNECTION_TIMEOUT})
 * @param socketTimeout the longest one read from the database may take, so a frozen server
 *     cannot hold a request for ever ({@code DATABASE_SOCKET_TIMEOUT}; PostgreSQL only)
 * @param maxLifetime the age at which a connection is replaced ({@code DATABASE_MAX_LIFETIME})
 * @param startupPolicy what an unreachable database at startup does ({@code DATABASE_STARTUP_POLICY})
 * @param startupMaxWait how long {@link StartupPolicy#WAIT} waits before the process exits
 *     ({@code DATABASE_STARTUP_MAX_WAIT})
 */
public record DatabaseSettings(Optional<String> url, Optional<String> user, Optional<Secret> password, int poolSize,
                       Duration connectionTimeout, Duration socketTimeout, Duration maxLifetime,
                       StartupPolicy startupPolicy, Duration startupMaxWait) {

    /** Checks the URL's form and the pool's limits. */
    public DatabaseSettings {
        url.ifPresent(text -> {
            try {
                DatabaseUrl.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url " + e.getMessage(), e);
            }
        });
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool-size must be at least 1, got " + poolSize);
        }
        if (connectionTimeout.toMillis() < 250) {
            throw new IllegalArgumentException("connection-timeout must be 250ms or more, got " + connectionTimeout);
        }
        if (socketTimeout.isNegative()) {
            throw new IllegalArgumentException("socket-timeout must be 0s (none) or more, got " + socketTimeout);
        }
        if (maxLifetime.toSeconds() < 30) {
            throw new IllegalArgumentException("max-lifetime must be 30s or more, got " + maxLifetime);
        }
        if (startupMaxWait.isNegative()) {
            throw new IllegalArgumentException("startup-max-wait must be 0s or more, got " + startupMaxWait);
        }
    }

    /** {@return the URL parsed, with {@code user} and {@code password} taking precedence} */
    public Optional<DatabaseUrl> target() {
        return url.map(DatabaseUrl::parse).map(parsed -> new DatabaseUrl(parsed.jdbcUrl(),
                user.or(parsed::user), password.or(parsed::password)));
    }

    /** What an unreachable database at startup does; a refused login always ends the process. */
    public enum StartupPolicy {
        /** Exit non-zero at once. */
        FAIL_FAST,
        /** Start, not ready, and become ready when the database answers; exit after the maximum wait. */
        WAIT
    }
}
