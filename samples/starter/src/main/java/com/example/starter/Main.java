package com.example.starter;

import dev.skiff.App;
import dev.skiff.Skiff;
import dev.skiff.http.HttpException;
import dev.skiff.lifecycle.Component;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The service: {@code java -jar target/starter.jar} serves it; {@code --help} lists its commands. */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {}

    /**
     * Runs the service on {@code PORT} (8080 by default) until SIGTERM, or the command named.
     *
     * @param args a command, or nothing to serve
     */
    public static void main(String[] args) {
        Skiff.run(args, Main::setup);
    }

    /**
     * Sets the service up: what {@code main} runs, and what the tests start in-process.
     *
     * @param app the service being set up
     */
    public static void setup(App app) {
        var settings = app.configuration().bind("starter", Settings.class);

        // snippet:component
        // A component starts before the service serves and stops after it has drained.
        var greeted = new LongAdder();
        app.component(Component.of("greetings", () -> log.info("ready to greet"),
                () -> log.atInfo().setMessage("greetings answered: {}").addArgument(greeted.sum())
                        .addKeyValue("greetings", greeted.sum()).log()));
        // end:component

        app.get("/hello", ctx -> {
            byte[] sent = ctx.header("Authorization").orElse("").getBytes(StandardCharsets.UTF_8);
            byte[] expected = ("Bearer " + settings.apiToken().reveal()).getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(sent, expected)) {
                ctx.header("WWW-Authenticate", "Bearer");
                throw new HttpException(401, "send the API token as Authorization: Bearer <token>");
            }
            greeted.increment();
            ctx.json(Map.of("message", settings.greeting() + ", " + ctx.queryParam("name").orElse("world") + "!"));
        });
    }
}
