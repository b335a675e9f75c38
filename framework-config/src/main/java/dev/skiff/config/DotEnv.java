package dev.skiff.config;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a {@code .env} file: {@code KEY=VALUE} lines, {@code #} comments, an optional
 * {@code export } prefix, and single- or double-quoted values. Never required; its problems are
 * returned as data and never echo a value, which may be secret.
 */
final class DotEnv {

    /** A value and the line it came from. */
    public record Value(String value, int line) {}

    /** What was read, and what could not be. */
    public record Result(Map<String, Value> values, List<ConfigProblem> problems) {}

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private DotEnv() {}

    /** Reads {@code .env} in {@code directory}; an absent file gives no values and no problems. */
    public static Result read(Path directory) {
        Path file = directory.resolve(".env");
        if (!Files.isRegularFile(file)) {
            return new Result(Map.of(), List.of());
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return new Result(Map.of(), List.of(fileProblem(file, "the file is not UTF-8 text")));
        } catch (IOException e) {
            return new Result(Map.of(), List.of(fileProblem(file, "the file cannot be read: " + e)));
        }
        return parse(text);
    }

    /** Parses the text of a {@code .env} file. */
    public static Result parse(String text) {
        Map<String, Value> values = new LinkedHashMap<>();
        List<ConfigProblem> problems = new ArrayList<>();
        String[] lines = text.split("\r\n|\n|\r", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ") || line.startsWith("export\t")) {
                line = line.substring("export".length()).strip();
            }
            int equals = line.indexOf('=');
            String name = equals < 0 ? line : line.substring(0, equals).strip();
            if (equals < 0 || !NAME.matcher(name).matches()) {
                problems.add(lineProblem(number, "expected NAME=VALUE, where NAME is letters, digits and _"
                        + " not starting with a digit; fix or remove the line"));
                continue;
            }
            String raw = line.substring(equals + 1).strip();
            try {
                values.put(name, new Value(value(raw), number));
            } catch (IllegalArgumentException e) {
                problems.add(lineProblem(number, name + ": " + e.getMessage()));
            }
        }
        return new Result(values, problems);
    }

    private static String value(String raw) {
        if (raw.startsWith("\"")) {
            var out = new StringBuilder();
            for (int i = 1; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (c == '"') {
                    requireOnlyComment(raw.substring(i + 1));
                    return out.toString();
                }
                if (c == '\\' && i + 1 < raw.length()) {
                    char next = raw.charAt(++i);
                    out.append(switch (next) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> next;
                    });
                } else {
                    out.append(c);
                }
            }
            throw new IllegalArgumentException("the double quote that opens the value is never closed on its line; close it");
        }
        if (raw.startsWith("'")) {
            int end = raw.indexOf('\'', 1);
            if (end < 0) {
                throw new IllegalArgumentException("the single quote that opens the value is never closed on its line; close it");
            }
            requireOnlyComment(raw.substring(end + 1));
            return raw.substring(1, end);
        }
        int comment = raw.indexOf(" #");
        if (comment < 0) {
            comment = raw.indexOf("\t#");
        }
        return (comment < 0 ? raw : raw.substring(0, comment)).strip();
    }

    private static void requireOnlyComment(String rest) {
        String tail = rest.strip();
        if (!tail.isEmpty() && !tail.startsWith("#")) {
            throw new IllegalArgumentException("there is text after the closing quote; quote the whole value");
        }
    }

    private static ConfigProblem lineProblem(int line, String message) {
        return new ConfigProblem("", "", ".env: " + line, message);
    }

    private static ConfigProblem fileProblem(Path file, String message) {
        return new ConfigProblem("", "", file.toString(), message + "; fix or delete it (.env is optional)");
    }
}
