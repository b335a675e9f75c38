package dev.skiff.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Addresses in X-Forwarded-For come from clients: they are parsed, never looked up. */
class TrustedProxiesTest {

    @Test
    void textThatIsNotAnAddressLiteralIsNeverAskedOfTheResolver() {
        List<String> hostile = List.of(".:", "..:1", ".:.", "evil.example.com", "1.2.3.4.5", "999.1.1.1", "::g",
                "fe80::1%eth0", "[::1]", "1.2.3.4:80", "internal-proxy", "0x7f.1", "g:1", "", " 10.0.0.1");
        for (String text : hostile) {
            assertThat(TrustedProxies.literal(text)).as(text).isNull();
        }
        assertThat(RecordingResolverProvider.LOOKED_UP).as("names looked up").doesNotContainAnyElementsOf(hostile);
    }

    @Test
    void addressLiteralsAndNetworksMatch() {
        TrustedProxies proxies = TrustedProxies.parse(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));

        assertThat(proxies.contains(TrustedProxies.literal("10.200.3.4"))).isTrue();
        assertThat(proxies.contains(TrustedProxies.literal("11.0.0.1"))).isFalse();
        assertThat(proxies.contains(TrustedProxies.literal("192.168.1.7"))).isTrue();
        assertThat(proxies.contains(TrustedProxies.literal("192.168.1.8"))).isFalse();
        assertThat(proxies.contains(TrustedProxies.literal("fd12::1"))).isTrue();
        assertThat(proxies.contains(TrustedProxies.literal("fe80::1"))).isFalse();
        assertThat(TrustedProxies.parse(List.of("0.0.0.0/0")).contains(TrustedProxies.literal("8.8.8.8"))).isTrue();
    }
}
