package dev.skiff.testing;

import dev.skiff.Skiff;
import dev.skiff.http.ServiceClient;

/** A service that calls its backing service {@code backend} once per {@code GET /call}. */
public final class BackendCallApp {

    private BackendCallApp() {}

    public static void main(String[] args) {
        Skiff.run(args, app -> {
            ServiceClient backend = app.http("backend");
            app.get("/call", ctx -> ctx.text("backend answered " + backend.get("/x").statusCode()));
        });
    }
}
