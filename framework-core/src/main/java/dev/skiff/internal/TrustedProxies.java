package dev.skiff.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} is believed ({@code http.trusted-proxies}): addresses
 * ({@code 10.0.0.7}, {@code ::1}) and networks ({@code 10.0.0.0/8}, {@code fd00::/8}). Names are
 * never resolved: a request must not make the server ask DNS anything.
 */
public final class TrustedProxies {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final List<Network> networks;

    private TrustedProxies(List<Network> networks) {
        this.networks = networks;
    }

    /**
     * {@return the trusted proxies these entries name}
     *
     * @throws IllegalArgumentException naming the first entry that is not an address or network
     */
    public static TrustedProxies parse(List<String> entries) {
        List<Network> networks = new ArrayList<>();
        for (String entry : entries) {
            networks.add(Network.parse(entry.strip()));
        }
        return new TrustedProxies(List.copyOf(networks));
    }

    /** {@return whether no proxy is trusted} */
    public boolean isEmpty() {
        return networks.isEmpty();
    }

    /** {@return whether the address is a trusted proxy's} */
    public boolean contains(InetAddress address) {
        for (Network network : networks) {
            if (network.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** {@return the address an IP literal names, or null for anything else; never a DNS lookup} */
    public static InetAddress literal(String text) {
        // The JDK parses text as an address only when it starts with a hex digit or a colon; anything
        // else it would look up as a name.
        if (text.isEmpty() || text.length() > 45 || Character.digit(text.charAt(0), 16) < 0 && text.charAt(0) != ':'
                || !(IPV4.matcher(text).matches() || IPV6.matcher(text).matches())) {
            return null;
        }
        if (IPV4.matcher(text).matches()) {
            for (String part : text.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            // An IPv4 literal of four parts, or text with a colon (an IPv6 literal), is parsed, never looked up.
            return InetAddress.getByName(text);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return null;
        }
    }

    /** An address and the length of its prefix: a network, or one address with the full length. */
    private record Network(byte[] address, int prefix) {

        static Network parse(String text) {
            int slash = text.indexOf('/');
            String host = slash < 0 ? text : text.substring(0, slash);
            InetAddress address = literal(host);
            if (address == null) {
                throw new IllegalArgumentException("trusted-proxies: \"" + text + "\" is not an IP address or network"
                        + " such as 10.0.0.7, 10.0.0.0/8 or fd00::/8 (names are not resolved)");
            }
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("trusted-proxies: \"" + text + "\" has a prefix length outside"
                            + " 0.." + bits);
                }
            }
            return new Network(address.getAddress(), prefix);
        }

        boolean contains(InetAddress candidate) {
            byte[] other = candidate.getAddress();
            if (other.length != address.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (other[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (other[whole] & mask) == (address[whole] & mask);
        }
    }
}
