package dev.skiff.http.internal;

import dev.skiff.internal.TrustedProxies;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HttpString;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The address of the client a request came from: the connection's peer, or, when that peer is one
 * of the trusted proxies, the nearest address in {@code X-Forwarded-For} that is not (read from the
 * right, since each proxy appends the address it received from, and only the entries the trusted
 * proxies wrote can be believed).
 */
final class ClientAddress {

    private static final HttpString X_FORWARDED_FOR = HttpString.tryFromString("X-Forwarded-For");
    /** More entries than any real chain of proxies: a longer header is read only this far from the right. */
    private static final int MAX_HOPS = 16;

    private final TrustedProxies trusted;

    ClientAddress(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    /** {@return the client's address, as text} */
    String of(HttpServerExchange exchange) {
        InetSocketAddress peer = exchange.getConnection().getPeerAddress(InetSocketAddress.class);
        if (peer == null || peer.getAddress() == null) {
            return "unknown";
        }
        InetAddress address = peer.getAddress();
        if (trusted.isEmpty() || !trusted.contains(address)) {
            return address.getHostAddress();
        }
        var forwarded = exchange.getRequestHeaders().get(X_FORWARDED_FOR);
        if (forwarded == null) {
            return address.getHostAddress();
        }
        // Every X-Forwarded-For line, in order, as one list of hops.
        List<String> hops = new ArrayList<>();
        for (String line : forwarded) {
            for (String hop : line.split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= Math.max(0, hops.size() - MAX_HOPS); i--) {
            InetAddress hop = TrustedProxies.literal(hops.get(i));
            if (hop == null) {
                // Not an address: nobody we trust wrote it; the nearest hop we could read is the answer.
                return address.getHostAddress();
            }
            address = hop;
            if (!trusted.contains(hop)) {
                return hop.getHostAddress();
            }
        }
        return address.getHostAddress();
    }
}
