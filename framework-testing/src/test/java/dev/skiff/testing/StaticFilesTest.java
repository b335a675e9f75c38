package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.skiff.App;
import dev.skiff.Skiff;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Static files from the class path and from a directory, over real HTTP. */
class StaticFilesTest {

    static final Path ROOT;
    static final Path SITE;
    static final byte[] BIG = new byte[3 << 20];

    static {
        try {
            ROOT = Files.createTempDirectory("skiff-static");
            SITE = Files.createDirectory(ROOT.resolve("site"));
            new Random(7).nextBytes(BIG);
            Files.write(SITE.resolve("video.bin"), BIG);
            Files.writeString(SITE.resolve("notes.txt"), "plain notes\n");
            Files.writeString(SITE.resolve(".env"), "SECRET=hidden\n");
            Files.writeString(ROOT.resolve("secret.txt"), "outside the site\n");
            Files.createDirectory(SITE.resolve("bare"));
            Files.writeString(SITE.resolve("bare").resolve("one.txt"), "one\n");
            Files.createSymbolicLink(SITE.resolve("escape.txt"), ROOT.resolve("secret.txt"));
            Files.createDirectory(SITE.resolve("linkdir"));
            Files.createSymbolicLink(SITE.resolve("linkdir").resolve("index.html"), ROOT.resolve("secret.txt"));
            Files.createSymbolicLink(SITE.resolve("link-hidden"), SITE.resolve(".env"));
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static void setup(App app) {
        // snippet:static-files
        app.staticFiles("/assets", "classpath:web");       // src/main/resources/web, in the jar
        app.staticFiles("/files", SITE.toString());        // a directory on disk
        app.get("/assets/live", ctx -> ctx.text("a route under the files wins"));
        app.after(ctx -> ctx.header("X-Frame-Options", "DENY"));
        // end:static-files
    }

    @RegisterExtension
    static final SkiffExtension web = SkiffExtension.of(StaticFilesTest::setup);

    @AfterAll
    static void removeFiles() throws IOException {
        try (var walk = Files.walk(ROOT)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        var request = web.request(path).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return web.client().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void aFileFromTheClassPathWithItsTypeAndValidators() throws Exception {
        HttpResponse<byte[]> js = get("/assets/app.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(new String(js.body(), StandardCharsets.UTF_8)).isEqualTo("console.log(\"hello\");\n");
        assertThat(js.headers().firstValue("Content-Type")).contains("text/javascript; charset=UTF-8");
        assertThat(js.headers().firstValue("ETag")).isPresent();
        assertThat(js.headers().firstValue("Last-Modified")).isPresent();
        assertThat(js.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(js.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(js.headers().firstValue("X-Frame-Options")).contains("DENY"); // filters run around files
        assertThat(js.headers().firstValue("Last-Modified").orElseThrow())
                .matches("[A-Z][a-z]{2}, [0-9]{2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT");
        for (String fingerprinted : new String[] {"/assets/app.3f9a1c2e.css", "/assets/index-BqL3ev2x.js"}) {
            assertThat(get(fingerprinted).headers().firstValue("Cache-Control")).as(fingerprinted)
                    .contains("public, max-age=31536000, immutable");
        }
        // A date is no hash: such a file changes under its name.
        assertThat(get("/assets/report-20240101.txt").headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(get("/assets/live").body()).asString(StandardCharsets.UTF_8).isEqualTo("a route under the files wins");
    }

    @Test
    void aConditionalGetIsAnswered304() throws Exception {
        HttpResponse<byte[]> first = get("/files/notes.txt");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        HttpResponse<byte[]> again = get("/files/notes.txt", "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        String modified = first.headers().firstValue("Last-Modified").orElseThrow();
        assertThat(get("/files/notes.txt", "If-Modified-Since", modified).statusCode()).isEqualTo(304);
        assertThat(get("/files/notes.txt", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        // The obsolete RFC 850 form of a date is read too.
        String rfc850 = java.time.format.DateTimeFormatter.ofPattern("EEEE, dd-MMM-yy HH:mm:ss 'GMT'", java.util.Locale.US)
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now().plusSeconds(60));
        assertThat(get("/files/notes.txt", "If-Modified-Since", rfc850).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> fromJar = get("/assets/app.js");
        assertThat(get("/assets/app.js", "If-None-Match", fromJar.headers().firstValue("ETag").orElseThrow())
                .statusCode()).isEqualTo(304);
    }

    @Test
    void aRangeIsAnswered206AndOnePastTheEnd416() throws Exception {
        HttpResponse<byte[]> middle = get("/files/video.bin", "Range", "bytes=10-19");
        assertThat(middle.statusCode()).isEqualTo(206);
        assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 10-19/" + BIG.length);
        assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(BIG, 10, 20));
        HttpResponse<byte[]> tail = get("/files/video.bin", "Range", "bytes=1000000-");
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(BIG, 1_000_000, BIG.length));
        HttpResponse<byte[]> suffix = get("/assets/app.js", "Range", "bytes=-3");
        assertThat(suffix.statusCode()).isEqualTo(206);
        assertThat(new String(suffix.body(), StandardCharsets.UTF_8)).isEqualTo(");\n");
        HttpResponse<byte[]> clamped = get("/files/video.bin", "Range", "bytes=5-99999999999999999999999");
        assertThat(clamped.statusCode()).isEqualTo(206);
        assertThat(clamped.headers().firstValue("Content-Range")).contains("bytes 5-" + (BIG.length - 1) + "/" + BIG.length);
        HttpResponse<byte[]> past = get("/files/video.bin", "Range", "bytes=" + BIG.length + "-");
        assertThat(past.statusCode()).isEqualTo(416);
        assertThat(past.headers().firstValue("Content-Range")).contains("bytes */" + BIG.length);
        // A stale If-Range gets the whole file.
        assertThat(get("/files/video.bin", "Range", "bytes=0-9", "If-Range", "\"stale\"").statusCode()).isEqualTo(200);
    }

    @Test
    void aLargeFileFromADirectoryIsSentWholeAndHeadGivesItsLength() throws Exception {
        HttpResponse<byte[]> whole = get("/files/video.bin");
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("Content-Type")).contains("application/octet-stream");
        assertThat(whole.body()).isEqualTo(BIG);
        HttpResponse<String> head = web.send(web.request("/files/video.bin").method("HEAD",
                HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).contains(Integer.toString(BIG.length));
        assertThat(head.body()).isEmpty();
    }

    @Test
    void aFolderServesItsIndexAndNeverAListing() throws Exception {
        HttpResponse<byte[]> noSlash = get("/assets");
        assertThat(noSlash.statusCode()).isEqualTo(301); // so that the index's relative links resolve in the folder
        assertThat(noSlash.headers().firstValue("Location")).contains("assets/");
        assertThat(new String(get("/assets/").body(), StandardCharsets.UTF_8)).isEqualTo("<h1>home</h1>\n");
        assertThat(get("/assets/docs").statusCode()).isEqualTo(404);
        assertThat(get("/assets/docs/guide.txt").statusCode()).isEqualTo(200);
        assertThat(get("/assets/docs").statusCode()).isEqualTo(404);
        assertThat(get("/files/bare").statusCode()).isEqualTo(404);
        assertThat(get("/assets/missing.js").statusCode()).isEqualTo(404);
    }

    @Test
    void noEncodingOfATraversalOrAHiddenNameReachesAFile() throws Exception {
        for (String path : new String[] {"/files/../secret.txt", "/files/%2e%2e/secret.txt", "/files/..%2fsecret.txt",
                "/files/%2E%2E%2Fsecret.txt", "/files/..%5csecret.txt", "/files/%252e%252e/secret.txt",
                "/files/.env", "/files/%2eenv", "/files/escape.txt", "/files//etc/passwd", "/files/C:secret.txt",
                "/files/%c0%ae%c0%ae/secret.txt", "/assets/../web/app.js", "/assets/%2e%2e/logback-test.xml",
                "/files/linkdir/", "/files/link-hidden"}) {
            String response = raw("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(response).as(path).matches("(?s)HTTP/1\\.1 4\\d\\d .*").doesNotContain("outside the site")
                    .doesNotContain("SECRET=hidden");
        }
    }

    @Test
    void aLocationThatIsNotThereIsRefusedAtSetup() {
        assertThatThrownBy(() -> Skiff.start(Map.of("PORT", "0"), app -> app.staticFiles("/x", "/no/such/dir")))
                .hasMessageContaining("/no/such/dir is not a directory");
        assertThatThrownBy(() -> Skiff.start(Map.of("PORT", "0"), app -> app.staticFiles("/x", "classpath:nowhere")))
                .hasMessageContaining("no folder \"nowhere\" on the class path");
    }

    private String raw(String request) throws IOException {
        try (var socket = new Socket("127.0.0.1", web.uri().getPort())) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
