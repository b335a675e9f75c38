package dev.skiff.testing;

import dev.skiff.Skiff;
import dev.skiff.http.Handler;

/**
 * A service whose every request is access-logged: {@code /hi} served on the I/O thread, whose log
 * lines are written once per round of its event loop, and {@code /hi-blocking} on a virtual thread.
 */
public final class AccessLogApp {

    private AccessLogApp() {}

    public static void main(String[] args) {
        Skiff.run(args, app -> app
                .get("/hi", Handler.nonBlocking(ctx -> ctx.text("hi")))
                .get("/hi-blocking", ctx -> ctx.text("hi")));
    }
}
