package dev.skiff.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code _FILE} convention of Docker and Kubernetes secrets: {@code DATABASE_URL_FILE=/run/secrets/db}
 * sets {@code DATABASE_URL} to the content of that file. A file is read once, when a key is first
 * looked up through its variable (all of them while the configuration loads or a record binds),
 * its one trailing newline dropped; a variable ending in {@code _FILE} that sets no key is never
 * read, so it stops nothing.
 */
final class SecretFiles {

    /** The suffix that makes a variable name a file. */
    static final String SUFFIX = "_FILE";
    /** A secret is one value: more than this is a wrong path (a log, a binary), not a secret. */
    static final int MAX_BYTES = 64 * 1024;

    /**
     * A file's value, or why there is none.
     *
     * @param path the file, as the variable names it
     * @param value the content, or {@code null}
     * @param problem what was wrong with the file and what to do, or {@code null}
     */
    record Read(String path, String value, String problem) {

        /**
         * {@return the path as reports may show it: a text that does not look like a path is not
         * shown, since a common mistake is to put the secret itself in the _FILE variable}
         */
        String shownPath() {
            return looksLikePath(path) ? path : "(a value that is not a path, not shown)";
        }
    }

    private static boolean looksLikePath(String text) {
        return (text.startsWith("/") || text.startsWith("./") || text.startsWith("../")) && text.strip().equals(text)
                && text.chars().noneMatch(Character::isWhitespace);
    }

    private final Map<String, String> variables;
    private final Path directory;
    /** Each file read once, the first time a key is looked up through its variable. */
    private final Map<String, Read> read = new java.util.concurrent.ConcurrentHashMap<>();

    private SecretFiles(Map<String, String> variables, Path directory) {
        this.variables = variables;
        this.directory = directory;
    }

    /** The _FILE variables among {@code variables}, each file read when a key first asks for it; relative paths from {@code directory}. */
    static SecretFiles of(Map<String, String> variables, Path directory) {
        return new SecretFiles(variables, directory);
    }

    /** {@return what the file named by {@code variable} holds, if that variable is set} */
    Optional<Read> get(String variable) {
        String path = variables.get(variable);
        if (path == null || !variable.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        return Optional.of(read.computeIfAbsent(variable, name -> readOne(name, path, directory)));
    }

    private static Read readOne(String variable, String text, Path directory) {
        String target = variable.substring(0, variable.length() - SUFFIX.length());
        if (text.isBlank()) {
            return new Read(text, null, variable + " is set but empty; set it to the path of the file that holds "
                    + target + ", or unset it");
        }
        if (!looksLikePath(text)) {
            // Perhaps the secret itself: never echoed.
            return new Read(text, null, variable + " does not hold a file path (it must start with /, ./ or ../ and"
                    + " hold no spaces; its value is not shown, in case it is the secret itself); set it to the path of"
                    + " the file that holds " + target + ", or set " + target + " instead");
        }
        Path file;
        try {
            file = directory.resolve(text);
        } catch (InvalidPathException e) {
            return new Read(text, null, variable + " is not a file path (" + e.getReason() + ")");
        }
        String named = "the file " + file + " named by " + variable;
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return new Read(text, null, named + " does not exist; mount the secret there or correct " + variable);
        } catch (AccessDeniedException e) {
            return new Read(text, null, named + " cannot be reached by this process (permission denied on it or a"
                    + " directory above it); make it readable to the service's user (Kubernetes: defaultMode or fsGroup)");
        } catch (IOException e) {
            return new Read(text, null, named + " cannot be read: " + e);
        }
        if (!attributes.isRegularFile()) {
            return new Read(text, null, file + " named by " + variable + " is not a regular file;"
                    + " name the file that holds " + target + " (for a Kubernetes secret volume, the key's file inside it)");
        }
        byte[] bytes;
        // NOFOLLOW is not used: Kubernetes secret volumes are symbolic links. A file swapped for a
        // FIFO after the check above would block here; the check makes that a race, not a mistake.
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        } catch (AccessDeniedException e) {
            return new Read(text, null, "the file " + file + " named by " + variable + " cannot be read by this process"
                    + " (permission denied); make it readable to the service's user (Kubernetes: defaultMode or fsGroup)");
        } catch (NoSuchFileException e) {
            return new Read(text, null, "the file " + file + " named by " + variable + " does not exist;"
                    + " mount the secret there or correct " + variable);
        } catch (IOException e) {
            return new Read(text, null, "the file " + file + " named by " + variable + " cannot be read: " + e);
        }
        if (bytes.length > MAX_BYTES) {
            return new Read(text, null, "the file " + file + " named by " + variable + " is larger than "
                    + MAX_BYTES / 1024 + " KiB, too large for one value; name the file that holds " + target);
        }
        String value;
        try {
            value = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new Read(text, null, "the file " + file + " named by " + variable + " is not UTF-8 text");
        }
        // A byte-order mark that some editors write is not part of the value.
        if (value.startsWith("\uFEFF")) {
            value = value.substring(1);
        }
        // One trailing newline, as `echo` and editors write it; anything else is the value's own.
        if (value.endsWith("\r\n")) {
            value = value.substring(0, value.length() - 2);
        } else if (value.endsWith("\n")) {
            value = value.substring(0, value.length() - 1);
        }
        if (value.isEmpty()) {
            return new Read(text, null, "the file " + file + " named by " + variable + " is empty;"
                    + " put the value of " + target + " in it");
        }
        return new Read(text, value, null);
    }
}
