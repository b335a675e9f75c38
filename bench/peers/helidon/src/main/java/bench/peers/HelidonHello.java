package bench.peers;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

/** Helidon SE serving the benchmark's routes: GET /hello (JSON) and GET /slow?ms=N. */
public final class HelidonHello {

    private HelidonHello() {}

    public static void main(String[] args) {
        int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        WebServer.builder()
                .port(port)
                .routing(routing -> routing
                        .get("/hello", (req, res) -> {
                            String name = req.query().first("name").orElse("world");
                            res.header(HeaderNames.CONTENT_TYPE, "application/json");
                            res.send("{\"message\":\"Hello, " + name + "!\"}");
                        })
                        .get("/slow", (req, res) -> {
                            Thread.sleep(Long.parseLong(req.query().first("ms").orElse("2000")));
                            res.send("done");
                        }))
                .build()
                .start();
    }
}
