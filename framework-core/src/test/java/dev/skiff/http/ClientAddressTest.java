package dev.skiff.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.skiff.RunningService;
import dev.skiff.Skiff;
import dev.skiff.config.ConfigurationException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The access log's client.address: the peer, or X-Forwarded-For only as far as trusted proxies wrote it. */
class ClientAddressTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final ListAppender<ILoggingEvent> access = new ListAppender<>();
    private RunningService service;

    @AfterEach
    void stop() {
        ((Logger) LoggerFactory.getLogger("skiff.access")).detachAppender(access);
        if (service != null) {
            service.stop();
        }
        client.close();
    }

    private void start(Map<String, String> env) {
        var settings = new HashMap<>(env);
        settings.put("PORT", "0");
        settings.put("HOST", "127.0.0.1");
        service = Skiff.start(settings, app -> app.get("/who", ctx -> ctx.text("you")));
        access.start();
        ((Logger) LoggerFactory.getLogger("skiff.access")).addAppender(access);
    }

    /** {@return the client.address the access log gives a request with these X-Forwarded-For lines} */
    private Object clientOf(String... forwardedFor) throws Exception {
        access.list.clear();
        var request = HttpRequest.newBuilder(service.uri().resolve("/who")).timeout(Duration.ofSeconds(5));
        for (String line : forwardedFor) {
            request.header("X-Forwarded-For", line);
        }
        assertThat(client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> !access.list.isEmpty());
        var fields = new HashMap<String, Object>();
        access.list.getFirst().getKeyValuePairs().forEach(pair -> fields.put(pair.key, pair.value));
        return fields.get("client.address");
    }

    @Test
    void withNoTrustedProxyTheHeaderAnyClientCanSendIsIgnored() throws Exception {
        start(Map.of());

        assertThat(clientOf()).isEqualTo("127.0.0.1");
        assertThat(clientOf("203.0.113.9")).isEqualTo("127.0.0.1");
    }

    @Test
    void behindTrustedProxiesTheNearestUntrustedHopIsTheClient() throws Exception {
        start(Map.of("HTTP_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"));

        assertThat(clientOf()).as("no header: the peer").isEqualTo("127.0.0.1");
        // What the client wrote itself (198.51.100.1) is left of what the proxies appended.
        assertThat(clientOf("198.51.100.1, 203.0.113.9, 10.1.2.3")).isEqualTo("203.0.113.9");
        assertThat(clientOf("198.51.100.1", "203.0.113.9, 10.1.2.3")).as("over two header lines").isEqualTo("203.0.113.9");
        assertThat(clientOf("2001:db8::7")).isEqualTo("2001:db8:0:0:0:0:0:7");
        assertThat(clientOf("10.0.0.4, 10.0.0.5")).as("every hop trusted: the farthest").isEqualTo("10.0.0.4");
        assertThat(clientOf("not-an-address, 10.0.0.5")).as("garbage is never the answer nor looked up")
                .isEqualTo("10.0.0.5");
        assertThat(clientOf("evil.example.com")).isEqualTo("127.0.0.1");
        // Text the JDK would look up as a name rather than parse: never asked of DNS (a lookup of
        // ".:" fails or answers with an address; either way it is not the nearest readable hop).
        assertThat(clientOf(".:, 10.0.0.5")).isEqualTo("10.0.0.5");
        assertThat(clientOf("..:1")).isEqualTo("127.0.0.1");
    }

    @Test
    void aTrustedProxyThatIsNotAnAddressIsAConfigurationProblem() {
        var report = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationException.class,
                () -> start(Map.of("HTTP_TRUSTED_PROXIES", "10.0.0.0/8,proxy.internal")));

        assertThat(report.getMessage()).contains("\"proxy.internal\" is not an IP address or network")
                .contains("HTTP_TRUSTED_PROXIES");
        var prefix = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigurationException.class,
                () -> start(Map.of("HTTP_TRUSTED_PROXIES", "10.0.0.0/33")));
        assertThat(prefix.getMessage()).contains("\"10.0.0.0/33\" has a prefix length outside 0..32");
    }
}
