package dev.skiff.testing;

import dev.skiff.Skiff;
import dev.skiff.http.HttpException;
import java.util.Map;

/** Routes that read paths, queries, headers and bodies: what hostile requests are thrown at. */
public final class HostileRequestsApp {

    private HostileRequestsApp() {}

    public static void main(String[] args) {
        Skiff.run(args, app -> {
            app.before(ctx -> {
                if (ctx.header("X-Deny").isPresent()) {
                    throw new HttpException(403, "denied");
                }
            });
            app.get("/notes/{id}", ctx -> ctx.json(Map.of("id", ctx.pathParam("id"), "q", ctx.queryParam("q").orElse(""))));
            app.post("/notes", ctx -> ctx.status(201).json(Map.of("length", ctx.body().length())));
            app.put("/notes/{id}", ctx -> ctx.json(Map.of("read", ctx.bodyBytes().length)));
        });
    }
}
