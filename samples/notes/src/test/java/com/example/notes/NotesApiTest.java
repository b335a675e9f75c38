package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.skiff.testing.SkiffExtension;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The notes API in this JVM, on its embedded database, through real HTTP. */
class NotesApiTest {

    private static final String TOKEN = "test-token-5b2e";

    // snippet:extension
    @RegisterExtension
    static final SkiffExtension notes = SkiffExtension.of(NotesApp::setup)
            .with("NOTES_API_TOKEN", TOKEN)
            .with("DATABASE_URL", "jdbc:h2:mem:notes-api-test;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1");
    // end:extension

    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<String> write(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder request = notes.request(path).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return notes.send(request);
    }

    private JsonNode created(String title) throws Exception {
        HttpResponse<String> response = write("POST", "/notes", "{\"title\":\"" + title + "\"}", TOKEN);
        assertThat(response.statusCode()).isEqualTo(201);
        return json.readTree(response.body());
    }

    // snippet:test
    @Test
    void createsReadsUpdatesAndDeletesANote() throws Exception {
        HttpResponse<String> created = write("POST", "/notes", "{\"title\":\"milk\",\"body\":\"2 l\"}", TOKEN);
        assertThat(created.statusCode()).isEqualTo(201);
        long id = json.readTree(created.body()).get("id").asLong();
        assertThat(created.headers().firstValue("Location")).contains("/notes/" + id);
        assertThat(notes.logs()).anyMatch(e -> e.message().equals("created note " + id)
                && e.field("note.id").equals(java.util.Optional.of(id)));

        assertThat(json.readTree(notes.get("/notes/" + id).body()).get("title").asText()).isEqualTo("milk");
        assertThat(write("PUT", "/notes/" + id, "{\"title\":\"oat milk\"}", TOKEN).statusCode()).isEqualTo(200);
        assertThat(json.readTree(notes.get("/notes/" + id).body()).get("title").asText()).isEqualTo("oat milk");
        assertThat(write("DELETE", "/notes/" + id, "", TOKEN).statusCode()).isEqualTo(204);
        assertThat(notes.get("/notes/" + id).statusCode()).isEqualTo(404);
    }
    // end:test

    @Test
    void listsNotesAPageAtATimeWithALinkToTheNext() throws Exception {
        long first = created("page-1").get("id").asLong();
        created("page-2");
        created("page-3");

        JsonNode page = json.readTree(notes.get("/notes?after=" + (first - 1) + "&limit=2").body());
        assertThat(page.get("notes")).hasSize(2);
        assertThat(page.at("/notes/0/title").asText()).isEqualTo("page-1");
        String next = page.get("next").asText();
        JsonNode rest = json.readTree(notes.get(next).body());
        assertThat(rest.at("/notes/0/title").asText()).isEqualTo("page-3");
    }

    @Test
    void writesNeedTheTokenAndReadsDoNot() throws Exception {
        HttpResponse<String> none = write("POST", "/notes", "{\"title\":\"x\"}", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(write("POST", "/notes", "{\"title\":\"x\"}", "wrong-token").statusCode()).isEqualTo(401);
        assertThat(write("DELETE", "/notes/1", "", null).statusCode()).isEqualTo(401);
        assertThat(notes.get("/notes").statusCode()).isEqualTo(200);
        assertThat(notes.logs()).noneMatch(e -> e.message().contains(TOKEN));
    }

    @Test
    void explainsBadInputWith400Problems() throws Exception {
        assertThat(detail(write("POST", "/notes", "{\"title\":\" \"}", TOKEN))).isEqualTo("title is required");
        assertThat(detail(write("POST", "/notes", "{\"title\":\"" + "x".repeat(201) + "\"}", TOKEN)))
                .isEqualTo("title is longer than 200 characters");
        assertThat(detail(write("POST", "/notes", "{\"title\":", TOKEN))).contains("malformed JSON");
        assertThat(detail(write("POST", "/notes", "{\"title\":\"t\",\"expiresAt\":\"soon\"}", TOKEN)))
                .contains("expiresAt");
        assertThat(detail(notes.get("/notes?limit=many"))).isEqualTo("limit is a whole number from 1 to 100, got \"many\"");
        assertThat(detail(notes.get("/notes/abc"))).isEqualTo("path parameter {id} is \"abc\", not a whole number");
    }

    @Test
    void theWriteFilterHandsTheWriterToTheHandler() throws Exception {
        long id = created("from the writer").get("id").asLong();
        assertThat(notes.logs()).anyMatch(e -> e.message().equals("created note " + id)
                && e.field("user.id").filter(writer -> writer.toString().matches("token:[0-9a-f]{12}")).isPresent());
        assertThat(notes.logs()).noneMatch(e -> e.toString().contains(TOKEN));
    }

    // snippet:head-and-cors
    @Test
    void headAndABrowsersPreflightWorkOnNotes() throws Exception {
        HttpResponse<String> head = notes.send(notes.request("/notes").method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Length")).isPresent();

        // The web app's origin, in the sample's http.cors block, may write from the browser.
        HttpResponse<String> preflight = notes.send(notes.request("/notes/1")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://notes.example.com")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "Authorization, Content-Type"));
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://notes.example.com");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods").orElseThrow()).contains("PUT");

        HttpResponse<String> read = notes.send(notes.request("/notes").header("Origin", "https://notes.example.com"));
        assertThat(read.headers().firstValue("Access-Control-Allow-Origin")).contains("https://notes.example.com");
        HttpResponse<String> elsewhere = notes.send(notes.request("/notes").header("Origin", "https://evil.example"));
        assertThat(elsewhere.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }
    // end:head-and-cors

    private String detail(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
        return json.readTree(response.body()).get("detail").asText();
    }

    @Test
    void greetsWithTheConfiguredWordAndIsReady() throws Exception {
        assertThat(json.readTree(notes.get("/hello?name=Ada").body()).get("message").asText()).isEqualTo("Hello, Ada!");
        JsonNode ready = json.readTree(notes.get("/health/ready").body());
        assertThat(ready.get("status").asText()).isEqualTo("UP");
        assertThat(ready.get("checks").fieldNames()).toIterable().contains("database", "schema");
    }
}
