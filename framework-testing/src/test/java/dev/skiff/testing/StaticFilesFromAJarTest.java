package dev.skiff.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.skiff.Skiff;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Static files from a folder in a jar, as a service's own files are once it is packaged. */
class StaticFilesFromAJarTest {

    @TempDir
    Path root;

    @Test
    void aFolderInAJarIsNoFileAndItsFilesCarryValidators() throws Exception {
        Path jar = root.resolve("assets.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : new String[] {"site/", "site/index.html", "site/docs/", "site/docs/a.txt"}) {
                var entry = new java.util.jar.JarEntry(name);
                entry.setTime(1_700_000_000_000L);
                out.putNextEntry(entry);
                if (!name.endsWith("/")) {
                    out.write(("content of " + name).getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, before)) {
            thread.setContextClassLoader(loader);
            var service = Skiff.start(Map.of("PORT", "0"), app -> app.staticFiles("/jar", "classpath:site"));
            thread.setContextClassLoader(before);
            try {
                var client = java.net.http.HttpClient.newHttpClient();
                java.util.function.Function<String, HttpResponse<String>> get = path -> {
                    try {
                        return client.send(HttpRequest.newBuilder(service.uri().resolve(path)).build(),
                                HttpResponse.BodyHandlers.ofString());
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                };
                assertThat(get.apply("/jar/").body()).isEqualTo("content of site/index.html");
                assertThat(get.apply("/jar/docs").statusCode()).isEqualTo(404);
                HttpResponse<String> file = get.apply("/jar/docs/a.txt");
                assertThat(file.body()).isEqualTo("content of site/docs/a.txt");
                assertThat(file.headers().firstValue("Last-Modified")).isPresent();
                assertThat(file.headers().firstValue("ETag")).isPresent();
            } finally {
                service.stop();
            }
        } finally {
            thread.setContextClassLoader(before);
        }
    }
}
