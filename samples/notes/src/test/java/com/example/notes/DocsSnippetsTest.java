package com.example.notes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every code block in README.md and docs/ that is marked {@code <!-- snippet: FILE#NAME -->} must
 * equal the region {@code // snippet:NAME} .. {@code // end:NAME} of that compiled, tested file;
 * one marked {@code <!-- snippet: FILE -->} must equal the whole file (a report a test asserts).
 */
class DocsSnippetsTest {

    private static final Pattern MARKED_BLOCK = Pattern.compile(
            "<!-- snippet: ([^#\\s]+)(?:#([\\w-]+))? -->\\s*\\n```\\w*\\n(.*?)```", Pattern.DOTALL);

    @Test
    void everyMarkedSnippetMatchesTheCodeItQuotes() throws IOException {
        Path root = projectRoot();
        List<Path> pages = new ArrayList<>();
        pages.add(root.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }

        int checked = 0;
        for (Path page : pages) {
            Matcher block = MARKED_BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                Path quotedFile = root.resolve(block.group(1));
                String quoted = block.group(2) == null ? Files.readString(quotedFile)
                        : region(quotedFile, block.group(2));
                assertThat(block.group(3))
                        .as("snippet %s#%s in %s", block.group(1), block.group(2), root.relativize(page))
                        .isEqualTo(quoted);
                checked++;
            }
        }
        assertThat(checked).as("marked snippets found in README.md and docs/").isPositive();
    }

    @Test
    void everyJavaAndXmlBlockIsQuotedFromCodeThatCompiles() throws IOException {
        Path root = projectRoot();
        List<String> unmarked = new ArrayList<>();
        try (Stream<Path> docs = Stream.concat(Stream.of(root.resolve("README.md")), Files.walk(root.resolve("docs")))) {
            for (Path page : docs.filter(p -> p.toString().endsWith(".md")).toList()) {
                List<String> lines = Files.readAllLines(page);
                for (int i = 0; i < lines.size(); i++) {
                    boolean code = lines.get(i).equals("```java") || lines.get(i).equals("```xml");
                    if (code && (i == 0 || !lines.get(i - 1).startsWith("<!-- snippet: "))) {
                        unmarked.add(root.relativize(page) + ":" + (i + 1));
                    }
                }
            }
        }
        assertThat(unmarked).as("Java and XML blocks not quoted from a compiled, tested file").isEmpty();
    }

    private static final Pattern NESTED_MARKER = Pattern.compile("(//|#) (snippet|end):[\\w-]+|<!-- (snippet|end):[\\w-]+ -->");

    private static String region(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = -1;
        int end = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.equals("// snippet:" + name) || line.equals("# snippet:" + name)
                    || line.equals("<!-- snippet:" + name + " -->")) {
                start = i + 1;
            } else if (start >= 0 && (line.equals("// end:" + name) || line.equals("# end:" + name)
                    || line.equals("<!-- end:" + name + " -->"))) {
                end = i;
                break;
            }
        }
        assertThat(start).as("region %s in %s", name, file).isNotNegative();
        assertThat(end).as("end of region %s in %s", name, file).isGreaterThan(start);
        // The markers of a region nested in this one are not part of what it shows.
        List<String> body = lines.subList(start, end).stream()
                .filter(l -> !NESTED_MARKER.matcher(l.trim()).matches()).toList();
        int indent = body.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        var out = new StringBuilder();
        for (String line : body) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString();
    }

    private static Path projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("docs")) && Files.isRegularFile(dir.resolve("README.md"))
                    && Files.isDirectory(dir.resolve("framework-core"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the project root (with README.md, docs/ and framework-core/) above "
                + Path.of("").toAbsolutePath());
    }
}
