package com.example.notes;

import dev.skiff.App;
import dev.skiff.http.Context;
import dev.skiff.http.HttpException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The notes REST API: create, list, read, update and delete notes. The notes live in memory for
 * now, so each instance has its own; the database comes with DATABASE_URL support.
 */
public final class NotesApi {

    /**
     * A note as clients send it.
     *
     * @param title a short title, required
     * @param body the text, may be empty
     */
    public record NoteInput(String title, String body) {}

    /**
     * A note as clients receive it.
     *
     * @param id its id
     * @param title its title
     * @param body its text
     * @param updatedAt when it last changed
     */
    public record Note(long id, String title, String body, Instant updatedAt) {}

    private static final int MAX_TITLE = 200;

    private final Map<Long, Note> notes = new ConcurrentSkipListMap<>();
    private final AtomicLong ids = new AtomicLong();

    // snippet:routes
    /**
     * Adds the routes, relative to the group they are added in.
     *
     * @param notes the group, such as {@code app.group("/notes", api::routes)}
     */
    public void routes(App notes) {
        notes.get("", this::list)
                .post("", this::create)
                .get("/{id}", ctx -> ctx.json(find(ctx)))
                .put("/{id}", this::update)
                .delete("/{id}", ctx -> {
                    this.notes.remove(find(ctx).id());
                    ctx.status(204).text("");
                });
    }

    private void create(Context ctx) {
        NoteInput input = valid(ctx.bodyAs(NoteInput.class));
        var note = new Note(ids.incrementAndGet(), input.title(), bodyOf(input), Instant.now());
        notes.put(note.id(), note);
        ctx.status(201).header("Location", "/notes/" + note.id()).json(note);
    }
    // end:routes

    private void list(Context ctx) {
        int limit = intParam(ctx, "limit", 50, 1, 500);
        int offset = intParam(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        List<Note> page = notes.values().stream().skip(offset).limit(limit).toList();
        ctx.json(Map.of("notes", page, "offset", offset, "limit", limit, "total", notes.size()));
    }

    private void update(Context ctx) {
        Note existing = find(ctx);
        NoteInput input = valid(ctx.bodyAs(NoteInput.class));
        var note = new Note(existing.id(), input.title(), bodyOf(input), Instant.now());
        notes.put(note.id(), note);
        ctx.json(note);
    }

    private Note find(Context ctx) {
        String id = ctx.pathParam("id");
        try {
            Note note = notes.get(Long.parseLong(id));
            if (note != null) {
                return note;
            }
        } catch (NumberFormatException e) {
            throw HttpException.badRequest("a note id is a whole number, got \"" + shorten(id) + "\"");
        }
        throw HttpException.notFound("no note " + id);
    }

    private static NoteInput valid(NoteInput input) {
        if (input.title() == null || input.title().isBlank()) {
            throw HttpException.badRequest("title is required");
        }
        if (input.title().length() > MAX_TITLE) {
            throw HttpException.badRequest("title is longer than " + MAX_TITLE + " characters");
        }
        return input;
    }

    private static String bodyOf(NoteInput input) {
        return input.body() == null ? "" : input.body();
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        String value = ctx.queryParam(name).orElse(null);
        if (value == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HttpException.badRequest(name + " is a whole number from " + min + " to " + max + ", got \""
                + shorten(value) + "\"");
    }

    private static String shorten(String value) {
        return value.length() > 40 ? value.substring(0, 40) + "…" : value;
    }
}
