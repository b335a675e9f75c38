package com.example.notes;

import dev.skiff.App;
import dev.skiff.Skiff;
import dev.skiff.http.Handler;
import dev.skiff.http.HttpException;
import dev.skiff.http.ServiceClient;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The notes service: run it with {@code java -jar target/notes.jar}. */
public final class NotesApp {

    private NotesApp() {}

    /**
     * Runs the service on {@code PORT} (8080 by default) until SIGTERM, or one of its commands.
     *
     * @param args {@code serve} or nothing; {@code worker}; {@code migrate [--dry-run]}; {@code --help}
     */
    // snippet:main
    public static void main(String[] args) {
        Skiff.run(args, NotesApp::setup);
    }

    /**
     * Sets the service up: what {@code main} runs, and what tests start in-process.
     *
     * @param app the service being set up
     */
    public static void setup(App app) {
        var settings = app.configuration().bind("notes", NotesSettings.class);
        var notes = new NoteStore(app.database());
        var migrations = new Migrations(app.database());
        var schema = new SchemaCheck(app.database(), migrations);
        var purge = new ExpiredNotesPurge(notes);
        // snippet:add-module
        var moderation = new Moderation();
        app.module(moderation);
        // end:add-module

        app.component(schema);
        app.readinessCheck("schema", schema::check);
        // snippet:every
        // Every minute (NOTES_PURGE_EVERY), never two at once; a failed run is logged and counted.
        app.every("purge", settings.purgeEvery(), purge);
        // end:every
        // snippet:non-blocking
        // Answered from memory in microseconds: served on the connection's I/O thread, no hand-off.
        app.get("/hello", Handler.nonBlocking(ctx ->
                ctx.json(Map.of("message", settings.greet(ctx.queryParam("name").orElse("world"))))));
        // end:non-blocking
        // snippet:notes-group
        app.group("/notes", new NotesApi(notes, settings.apiToken(), moderation::allows)::routes);
        // end:notes-group
        // snippet:relayed
        // A backing service over HTTP: the call carries this request's X-Request-Id and trace, is
        // timed in http.client.requests, and a greeter that cannot be reached is a 503 here.
        ServiceClient greeter = app.http("greeter");
        app.get("/hello/relayed", ctx -> {
            String name = URLEncoder.encode(ctx.queryParam("name").orElse("world"), StandardCharsets.UTF_8);
            HttpResponse<String> answer = greeter.get("/hello?name=" + name);
            if (answer.statusCode() != 200) {
                throw new HttpException(502, "the greeter answered " + answer.statusCode());
            }
            ctx.bytes(answer.body().getBytes(StandardCharsets.UTF_8), "application/json");
        });
        // end:relayed

        app.command("migrate", "apply pending schema migrations (--dry-run lists them)", migrations::command);
        app.process("worker", "purge expired notes on a schedule, without serving the API", worker -> {
            worker.component(schema);
            worker.readinessCheck("schema", schema::check);
            worker.every("purge", settings.purgeEvery(), purge);
        });
    }
    // end:main
}
