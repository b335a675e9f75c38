package dev.skiff.bench;

import dev.skiff.Skiff;
import dev.skiff.http.Handler;
import java.util.Map;

/**
 * The Skiff side of the HTTP benchmark: the framework serving the same GET /hello as
 * {@link RawUndertowHello}, plus GET /slow?ms=N for the shutdown drills and POST /echo and
 * GET /bytes?n=N for the resource drills, with its defaults (metrics, request ids, health
 * endpoints), so the figures measure the framework rather than an application's database.
 */
public final class SkiffHello {

    private static final Handler HELLO =
            ctx -> ctx.json(Map.of("message", "Hello, " + ctx.queryParam("name").orElse("world") + "!"));

    private SkiffHello() {}

    public static void main(String[] args) {
        Skiff.run(args, app -> app
                // A plain handler, as a user writes one: served on a virtual thread. HELLO_NONBLOCKING=true
                // declares it non-blocking, as the docs allow for an answer from memory: the I/O thread serves it.
                .get("/hello", Boolean.parseBoolean(System.getenv("HELLO_NONBLOCKING")) ? Handler.nonBlocking(HELLO) : HELLO)
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
