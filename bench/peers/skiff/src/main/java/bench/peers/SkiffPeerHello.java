package bench.peers;

import dev.skiff.Skiff;
import dev.skiff.http.Handler;
import java.util.Map;

/**
 * Skiff serving the benchmark's routes, GET /hello (JSON) and GET /slow?ms=N, as a user writes
 * them: plain handlers, served on virtual threads. With HELLO_NONBLOCKING=true, /hello is declared
 * {@link Handler#nonBlocking} instead, as the docs allow for an answer from memory.
 */
public final class SkiffPeerHello {

    private static final Handler HELLO =
            ctx -> ctx.json(Map.of("message", "Hello, " + ctx.queryParam("name").orElse("world") + "!"));

    private SkiffPeerHello() {}

    public static void main(String[] args) {
        boolean nonBlocking = Boolean.parseBoolean(System.getenv("HELLO_NONBLOCKING"));
        Skiff.run(args, app -> app
                .get("/hello", nonBlocking ? Handler.nonBlocking(HELLO) : HELLO)
                .get("/slow", ctx -> {
                    Thread.sleep(Long.parseLong(ctx.queryParam("ms").orElse("2000")));
                    ctx.text("done");
                }));
    }
}
