package dev.skiff.testing;

import dev.skiff.Skiff;
import dev.skiff.config.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A careless service that tries to log its secrets in every way it can. */
public final class CanaryApp {

    record Api(Secret token) {}

    private CanaryApp() {}

    public static void main(String[] args) {
        Logger log = LoggerFactory.getLogger("careless");
        Skiff.run(args, app -> {
            Api api = app.configuration().bind("api", Api.class);
            log.info("the api token is {}", api.token().reveal());
            log.atInfo().setMessage("connecting").addKeyValue("url", System.getenv("DATABASE_URL")).log();
            app.get("/echo", ctx -> {
                String authorization = ctx.header("Authorization").orElse("");
                log.info("request came with Authorization: {}", authorization);
                log.warn("rejected", new IllegalStateException("bad credentials: " + authorization));
                throw new IllegalArgumentException("token " + api.token().reveal() + " refused");
            });
        });
    }
}
