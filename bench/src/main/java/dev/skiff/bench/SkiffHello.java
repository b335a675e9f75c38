package dev.skiff.bench;

import dev.skiff.Skiff;
import java.util.Map;

/**
 * The Skiff side of the HTTP benchmark: the framework serving the same GET /hello as
 * {@link RawUndertowHello}, plus GET /slow?ms=N for the shutdown drills, with its defaults (metrics, request ids, health endpoints), so the
 * figures measure the framework rather than an application's database or migrations.
 */
public final class SkiffHello {

    private SkiffHello() {}

    public static void main(String[] args) {
        Skiff.run(args, app -> app
                .get("/hello", ctx -> ctx.json(Map.of("message", "Hello, " + ctx.queryParam("name").orElse("world") + "!")))
                // For the shutdown figures and drills: a request that takes ?ms= milliseconds.
                .get("/slow", ctx -> {
                    Thread.sleep(Long.parseLong(ctx.queryParam("ms").orElse("2000")));
                    ctx.text("done");
                }));
    }
}
