package dev.skiff.bench;

import dev.skiff.Skiff;
import java.util.Map;

/**
 * The Skiff side of the HTTP benchmark: the framework serving the same GET /hello as
 * {@link RawUndertowHello}, plus GET /slow?ms=N for the shutdown drills and POST /echo and
 * GET /bytes?n=N for the resource drills, with its defaults (metrics, request ids, health
 * endpoints), so the figures measure the framework rather than an application's database.
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
                })
                // For the resource drills: a body read to its end, and a large response.
                .post("/echo", ctx -> ctx.json(Map.of("length", ctx.bodyBytes().length)))
                .get("/bytes", ctx -> ctx.bytes(new byte[Integer.parseInt(ctx.queryParam("n").orElse("1048576"))],
                        "application/octet-stream")));
    }
}
