package com.example.notes;

import dev.skiff.Routes;
import dev.skiff.config.Secret;
import dev.skiff.http.Context;
import dev.skiff.http.HttpException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notes REST API: create, list a page at a time, read, update and delete notes. Reads are
 * open; writes need the API token.
 */
public final class NotesApi {

    // snippet:logger
    private static final Logger log = LoggerFactory.getLogger(NotesApi.class);
    // end:logger

    /**
     * A note as clients send it.
     *
     * @param title a short title, required
     * @param body the text, may be empty
     * @param expiresAt when the note may be deleted, if ever (ISO-8601, such as {@code 2026-12-31T00:00:00Z})
     */
    public record NoteInput(String title, String body, Instant expiresAt) {}

    /**
     * Who a write came from, as the write filter found it: the fingerprint of the credential sent,
     * which the log events of the write carry (never the credential).
     *
     * @param id {@code token:} and the first 12 hex digits of the token's SHA-256
     */
    public record Writer(String id) {}

    // snippet:refused
    /** A note the moderator does not allow: answered 422 with a problem type of the API's own. */
    public static final class NoteRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoteRefused() {
            super("the note was refused by moderation", null, false, false);
        }

        /** The problem type clients can act on: change the note, do not retry it as it is. */
        static final URI TYPE = URI.create("https://notes.example.com/problems/refused-by-moderation");

        /** {@return the answer to it} */
        HttpException answer() {
            return new HttpException(422, getMessage()).type(TYPE).title("Refused by moderation");
        }
    }
    // end:refused

    static final int MAX_TITLE = 200;
    static final int MAX_BODY = 10_000;
    static final int MAX_PAGE = 100;

    /** Whether a note's text may be kept. */
    @FunctionalInterface
    public interface Moderator {
        /**
         * {@return whether the text may be kept}
         *
         * @throws Exception when it cannot be told; the request fails with what was thrown
         */
        boolean allows(String text) throws Exception;
    }

    private final NoteStore notes;
    private final Secret token;
    private final Moderator moderator;

    /**
     * Creates the API, with every note allowed.
     *
     * @param notes where the notes are kept
     * @param token the token writes must send
     */
    public NotesApi(NoteStore notes, Secret token) {
        this(notes, token, text -> true);
    }

    /**
     * Creates the API.
     *
     * @param notes where the notes are kept
     * @param token the token writes must send; it is read on the first write, not before
     * @param moderator which notes may be kept
     */
    public NotesApi(NoteStore notes, Secret token, Moderator moderator) {
        this.notes = notes;
        this.token = token;
        this.moderator = moderator;
    }

    // snippet:routes
    /**
     * Adds the routes, relative to the group they are added in.
     *
     * @param api the group, such as {@code app.group("/notes", api::routes)}
     */
    public void routes(Routes api) {
        api.before(this::authorizeWrites)
                .exception(NoteRefused.class, NoteRefused::answer)
                .get("", this::list)
                .post("", this::create)
                .get("/{id}", ctx -> ctx.json(notes.find(id(ctx)).orElseThrow(() -> missing(ctx))))
                .put("/{id}", this::update)
                .delete("/{id}", this::delete);
    }

    /**
     * Reads are open; a write needs the token, checked before its handler runs or its body is
     * read, and hands the handler who wrote.
     */
    private void authorizeWrites(Context ctx) {
        if (!ctx.method().equals("GET") && !ctx.method().equals("HEAD") && !ctx.method().equals("OPTIONS")) {
            ctx.attribute(Writer.class, authorize(ctx));
        }
    }

    private void create(Context ctx) throws Exception {
        NoteInput input = allowed(valid(ctx.bodyAs(NoteInput.class)));
        var note = notes.create(input.title(), bodyOf(input), input.expiresAt());
        Writer writer = ctx.attribute(Writer.class).orElseThrow();
        // snippet:log-event
        log.atInfo().setMessage("created note {}").addArgument(note.id()).addKeyValue("note.id", note.id())
                .addKeyValue("user.id", writer.id()).log();
        // end:log-event
        ctx.status(201).header("Location", "/notes/" + note.id()).json(note);
    }
    // end:routes

    private void list(Context ctx) throws SQLException {
        int limit = intParam(ctx, "limit", 20, 1, MAX_PAGE);
        long after = intParam(ctx, "after", 0, 0, Integer.MAX_VALUE);
        List<NoteStore.Note> page = notes.page(after, limit);
        var body = new LinkedHashMap<String, Object>();
        body.put("notes", page);
        if (page.size() == limit) {
            body.put("next", "/notes?after=" + page.getLast().id() + "&limit=" + limit);
        }
        ctx.json(body);
    }

    private void update(Context ctx) throws Exception {
        long id = id(ctx);
        NoteInput input = allowed(valid(ctx.bodyAs(NoteInput.class)));
        ctx.json(notes.update(id, input.title(), bodyOf(input), input.expiresAt()).orElseThrow(() -> missing(ctx)));
    }

    private void delete(Context ctx) throws SQLException {
        long id = id(ctx);
        if (!notes.delete(id)) {
            throw missing(ctx);
        }
        log.atInfo().setMessage("deleted note {}").addArgument(id).addKeyValue("note.id", id)
                .addKeyValue("user.id", ctx.attribute(Writer.class).orElseThrow().id()).log();
        ctx.status(204).text("");
    }

    // snippet:authorize
    /** Lets a write through only with {@code Authorization: Bearer <NOTES_API_TOKEN>}; {@return who sent it} */
    private Writer authorize(Context ctx) {
        String sent = ctx.header("Authorization").filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(h -> h.substring(7).strip()).orElse("");
        if (!MessageDigest.isEqual(sent.getBytes(StandardCharsets.UTF_8), token.reveal().getBytes(StandardCharsets.UTF_8))) {
            ctx.header("WWW-Authenticate", "Bearer");
            throw new HttpException(401, "send the API token as Authorization: Bearer <token>");
        }
        return new Writer("token:" + fingerprint(sent));
    }
    // end:authorize

    private static String fingerprint(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static long id(Context ctx) {
        return ctx.pathParam("id", long.class); // not a number: 400 naming the parameter
    }

    private static HttpException missing(Context ctx) {
        return HttpException.notFound("no note " + ctx.pathParam("id"));
    }

    private static NoteInput valid(NoteInput input) {
        if (input.title() == null || input.title().isBlank()) {
            throw HttpException.badRequest("title is required");
        }
        if (input.title().length() > MAX_TITLE) {
            throw HttpException.badRequest("title is longer than " + MAX_TITLE + " characters");
        }
        if (input.body() != null && input.body().length() > MAX_BODY) {
            throw HttpException.badRequest("body is longer than " + MAX_BODY + " characters");
        }
        return input;
    }

    /** Refuses a note the moderator does not allow. */
    private NoteInput allowed(NoteInput input) throws Exception {
        if (!moderator.allows(input.title() + "\n" + bodyOf(input))) {
            throw new NoteRefused();
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
