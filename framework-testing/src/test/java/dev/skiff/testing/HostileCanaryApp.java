package dev.skiff.testing;

import dev.skiff.Skiff;
import dev.skiff.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A careless service that tries to print every secret it holds in every way it can: in messages,
 * as key-values, as a map's key, as bytes, in exceptions and in what it answers.
 */
public final class HostileCanaryApp {

    record Api(Secret token, Secret hook) {}

    private HostileCanaryApp() {}

    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger("careless");
        Skiff.run(args, app -> {
            Api api = app.configuration().bind("api", Api.class);
            String token = api.token().reveal();
            String url = System.getenv("DATABASE_URL");
            app.database(); // the pool of DATABASE_URL, which does not answer
            log.info("the api token is {} and the database is {}", token, url);
            log.atInfo().setMessage("settings").addKeyValue("token", token).addKeyValue("url", url)
                    .addKeyValue(token, "a secret as a key").addKeyValue("bytes", token.getBytes(StandardCharsets.UTF_8))
                    .addKeyValue("map", Map.of(token, url)).log();
            // A webhook's secret in its route's template, as services do: the access log shows the route.
            app.post("/hooks/" + api.hook().reveal(), ctx -> ctx.text("ok"));
            app.get("/echo", ctx -> {
                String authorization = ctx.header("Authorization").orElse("");
                log.info("request came with Authorization: {} and headers {}", authorization,
                        dev.skiff.http.undertow.UndertowContext.exchange(ctx).getRequestHeaders());
                log.warn("rejected", new IllegalStateException("bad credentials: " + authorization + " for " + url));
                throw new IllegalArgumentException("token " + token + " refused for " + authorization);
            });
        });
    }
}
