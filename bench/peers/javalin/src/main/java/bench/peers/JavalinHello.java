package bench.peers;

import io.javalin.Javalin;
import java.util.Map;

/** Javalin serving the benchmark's routes: GET /hello (JSON) and GET /slow?ms=N. */
public final class JavalinHello {

    private JavalinHello() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        Javalin app = Javalin.create(config -> {
            config.routes.get("/hello", ctx -> ctx.json(Map.of("message",
                    "Hello, " + (ctx.queryParam("name") == null ? "world" : ctx.queryParam("name")) + "!")));
            config.routes.get("/slow", ctx -> {
                Thread.sleep(Long.parseLong(ctx.queryParam("ms") == null ? "2000" : ctx.queryParam("ms")));
                ctx.result("done");
            });
        });
        Runtime.getRuntime().addShutdownHook(new Thread(app::stop));
        app.start(port);
    }
}
