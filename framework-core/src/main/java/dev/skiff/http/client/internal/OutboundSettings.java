package dev.skiff.http.client.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * A backing service's settings, bound from the block of its name ({@code payments.url} from
 * {@code PAYMENTS_URL}, …). Unset durations and retries take the defaults below: no call waits
 * without end.
 *
 * @param url the service's base URL, http or https
 * @param connectTimeout the longest a connection may take to open (2s)
 * @param requestTimeout the longest a whole call may take, retries included (10s)
 * @param retries how many times a failed call may be tried again, when that is safe (2)
 */
public record OutboundSettings(URI url, Optional<Duration> connectTimeout, Optional<Duration> requestTimeout,
                               Optional<Integer> retries) {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final int RETRIES = 2;

    /** Checks the URL and that the timeouts are positive and the retries between 0 and 10. */
    public OutboundSettings {
        if (url == null) {
            throw new IllegalArgumentException("url is required: the service's base URL, such as http://payments:8080");
        }
        // Credentials first, and the URL never echoed: it could hold them where no parser finds them.
        if (url.getRawUserInfo() != null || url.getRawAuthority() != null && url.getRawAuthority().contains("@")) {
            throw new IllegalArgumentException("url must not hold credentials: send them in a header from a secret of"
                    + " their own");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("url must be an http:// or https:// URL with a host name (letters,"
                    + " digits, dots and dashes), such as http://payments:8080; got one with scheme " + url.getScheme()
                    + (url.getHost() == null ? " and no host it can read" : ""));
        }
        if (url.getRawQuery() != null || url.getRawFragment() != null) {
            throw new IllegalArgumentException("url must be the service's base URL, without a query or fragment: a"
                    + " key in a query belongs in a header, from a secret");
        }
        connectTimeout.ifPresent(timeout -> positive("connect-timeout", timeout));
        requestTimeout.ifPresent(timeout -> positive("request-timeout", timeout));
        retries.ifPresent(n -> {
            if (n < 0 || n > 10) {
                throw new IllegalArgumentException("retries must be from 0 to 10, got " + n);
            }
        });
    }

    private static void positive(String key, Duration timeout) {
        if (timeout.toMillis() < 1) {
            throw new IllegalArgumentException(key + " must be 1ms or more (there is no waiting without end), got "
                    + timeout);
        }
    }

    Duration connect() {
        return connectTimeout.orElse(CONNECT_TIMEOUT);
    }

    Duration request() {
        return requestTimeout.orElse(REQUEST_TIMEOUT);
    }

    int retryCount() {
        return retries.orElse(RETRIES);
    }
}
