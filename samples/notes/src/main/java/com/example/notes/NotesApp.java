package com.example.notes;

import dev.skiff.Skiff;
import java.util.Map;

/** The notes service: run it with {@code java -jar target/notes.jar}. */
public final class NotesApp {

    private NotesApp() {}

    /**
     * Starts the service on {@code PORT} (8080 by default) and serves until SIGTERM.
     *
     * @param args {@code serve} or nothing
     */
    // snippet:main
    public static void main(String[] args) {
        Skiff.run(args, app -> {
            var settings = app.configuration().bind("notes", NotesSettings.class);
            var report = new GreetingReport(settings.reportEvery());
            app.component(report).onStateChange(report::onStateChange)
                    .readinessCheck("greeting-report", report::check);
            app.get("/hello", ctx -> {
                report.greeted();
                ctx.json(Map.of("message", settings.greet(ctx.queryParam("name").orElse("world"))));
            });
            app.group("/notes", new NotesApi()::routes);
        });
    }
    // end:main
}
