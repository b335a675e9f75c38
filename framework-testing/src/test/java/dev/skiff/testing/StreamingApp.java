package dev.skiff.testing;

import dev.skiff.Skiff;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** A service with a GET route that streams events until its client goes away, as a feed of server-sent events does. */
public final class StreamingApp {

    private StreamingApp() {}

    public static void main(String[] args) {
        Skiff.run(args, app -> app.get("/events", ctx -> {
            OutputStream events = ctx.stream("text/event-stream");
            try {
                while (true) {
                    events.write(": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));
                    events.flush();
                    Thread.sleep(500);
                }
            } catch (IOException clientWentAway) {
                // The stream ends with its client.
            }
        }));
    }
}
