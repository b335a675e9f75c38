package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Canary secrets given every way a secret reaches a service — a {@code Secret} setting, a URL's
 * user info with a raw '@' and '/', a {@code jdbc:} URL's {@code password=} and
 * {@code sslpassword=}, a secret-looking variable, a bearer token and Basic credentials — looked
 * for in every output: stdout, stderr, every endpoint (readiness with the database down, too),
 * problem bodies, and the {@code config} and {@code check} commands; raw, URL-encoded, base64,
 * JSON-escaped and in hex. None may appear.
 */
class HostileSecretsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String TOKEN = "Tk\"canary-5d7e/1";
    private static final String URL_PASSWORD = "Up@ss/canary-8f2a";
    private static final String JDBC_PASSWORD = "Jp&canary-3c4b";
    private static final String SSL_PASSWORD = "Sp-canary-6e1d";
    private static final String ENV_PASSWORD = "Ev-canary-0a9f";
    private static final String BEARER = "Br-canary-7b2c";
    private static final String BASIC_PASSWORD = "Bc-canary-4d8e";
    private static final String HOOK = "Hk-canary-2b9f";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static int closedPort() throws Exception {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The same careless service, once with each form of DATABASE_URL, the database down. */
    private static List<Map<String, String>> environments() throws Exception {
        int port = closedPort();
        var base = new LinkedHashMap<String, String>();
        base.put("PORT", "0");
        base.put("API_TOKEN", TOKEN);
        base.put("API_HOOK", HOOK);
        base.put("DATABASE_PASSWORD", ENV_PASSWORD);
        base.put("DATABASE_CONNECTION_TIMEOUT", "1s");
        var userInfo = new LinkedHashMap<>(base);
        userInfo.put("DATABASE_URL", "postgres://app:" + URL_PASSWORD + "@127.0.0.1:" + port + "/notes");
        var jdbc = new LinkedHashMap<>(base);
        jdbc.put("DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + port + "/notes?user=app&password="
                + URLEncoder.encode(JDBC_PASSWORD, StandardCharsets.UTF_8) + "&sslpassword=" + SSL_PASSWORD);
        jdbc.remove("DATABASE_PASSWORD"); // the URL's own password is used
        return List.of(userInfo, jdbc);
    }

    @Test
    void noSecretReachesAnyOutputInAnyForm() throws Exception {
        for (Map<String, String> env : environments()) {
            var seen = new ArrayList<String>();
            try (var app = AppProcess.startClass(HostileCanaryApp.class, env)) {
                URI base = app.awaitListening(WAIT);
                for (String path : List.of("/health/live", "/health/ready", "/health/started", "/metrics", "/info",
                        "/nowhere")) {
                    seen.add(get(base.resolve(path), Map.of()));
                }
                String basic = Base64.getEncoder().encodeToString(("ops:" + BASIC_PASSWORD).getBytes(StandardCharsets.UTF_8));
                seen.add(get(base.resolve("/echo"), Map.of("Authorization", "Bearer " + BEARER)));
                seen.add(get(base.resolve("/echo"), Map.of("Authorization", "Basic " + basic)));
                app.awaitEvent(e -> e.message().startsWith("request GET /echo failed"), WAIT);
                // A client that sends secrets as its request id, in its path and its user agent: its
                // answer echoes them back to it, which is no leak, so only the logs are searched.
                // (A secret of this environment that a request id may hold: letters, digits and dashes.)
                String plain = env.containsKey("DATABASE_PASSWORD") ? ENV_PASSWORD : SSL_PASSWORD;
                get(base.resolve("/nowhere/" + plain), Map.of("X-Request-Id", plain, "User-Agent", "probe " + TOKEN));
                app.awaitEvent(e -> e.message().startsWith("GET /nowhere/"), WAIT);
                seen.add(send(HttpRequest.newBuilder(base.resolve("/hooks/" + HOOK)).POST(HttpRequest.BodyPublishers.noBody())));
                app.awaitEvent(e -> e.message().startsWith("POST /hooks/"), WAIT);
                app.signal(AppProcess.Signal.TERM);
                app.awaitExit(WAIT);
                seen.add(String.join("\n", app.stdoutLines()));
                seen.add(String.join("\n", app.stderrLines()));
                assertThat(app.stderrLines()).as("stderr").isEmpty();
            }
            for (String command : List.of("config", "check")) {
                try (var app = AppProcess.startClass(HostileCanaryApp.class, env, command)) {
                    app.awaitExit(WAIT);
                    seen.add(String.join("\n", app.stdoutLines()));
                    seen.add(String.join("\n", app.stderrLines()));
                }
            }
            String everything = String.join("\n", seen);
            assertThat(everything).as("the outputs were collected").contains("******").contains("\"status\":\"DOWN\"");
            for (String secret : List.of(TOKEN, URL_PASSWORD, JDBC_PASSWORD, SSL_PASSWORD, ENV_PASSWORD, BEARER,
                    BASIC_PASSWORD, HOOK)) {
                for (String form : forms(secret)) {
                    assertThat(everything).as("%s as %s (DATABASE_URL %s)", secret, form, env.get("DATABASE_URL"))
                            .doesNotContain(form);
                }
            }
        }
    }

    private String get(URI uri, Map<String, String> headers) throws Exception {
        var request = HttpRequest.newBuilder(uri);
        headers.forEach(request::header);
        return send(request);
    }

    private String send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.headers().map() + " " + response.body();
    }

    private static List<String> forms(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        return List.of(secret, URLEncoder.encode(secret, StandardCharsets.UTF_8),
                Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
                secret.replace("\\", "\\\\").replace("\"", "\\\""),
                HexFormat.of().formatHex(bytes), HexFormat.of().withUpperCase().formatHex(bytes));
    }
}
