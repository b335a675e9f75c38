package dev.skiff.http.internal;

import dev.skiff.http.Context;
import dev.skiff.http.Handler;
import dev.skiff.http.HttpException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * Serves the files of a folder on the class path or a directory, under a route's path: content
 * types, {@code ETag} and {@code Last-Modified} with conditional GET (304), a year's caching for
 * fingerprinted names ({@code app.3f9a1c2e.js}) and revalidation for the others, one {@code Range}
 * ({@link Conditions}),
 * {@code index.html} for a folder and never a listing. A file on disk goes from the file to the
 * socket without a copy, as the response is sent. Paths are checked segment by segment once
 * decoded: no {@code ..}, no {@code .} or hidden names, no backslash or colon, no empty segment;
 * in a directory a file is served only if its real path (links followed) is inside it.
 */
public final class StaticFiles implements Handler {

    /**
     * A content hash before the extension, as bundlers write one: hex with a letter and a digit
     * ({@code app.3f9a1c2e.js}), mixed-case base64 with a digit ({@code index-BqL3ev2x.js}), or
     * upper-case base32 with a digit ({@code main-5XJKLMNO.js}). A date ({@code report-20240101})
     * or a word with a digit ({@code logo-version2}) is no hash: such files change under their name.
     */
    private static final Pattern FINGERPRINTED = Pattern.compile(".*[.-]("
            + "(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,64}"
            + "|(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[a-z])(?=[A-Za-z0-9_-]*[A-Z])[A-Za-z0-9_-]{8,64}"
            + "|(?=[A-Z0-9]*[0-9])(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,64}"
            + ")\\.[A-Za-z0-9]{1,10}");
    /** Larger files from the class path are streamed: they cannot be sent without a copy. */
    private static final long LARGEST_IN_MEMORY = 8L << 20;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=UTF-8"), Map.entry("htm", "text/html; charset=UTF-8"),
            Map.entry("css", "text/css; charset=UTF-8"), Map.entry("js", "text/javascript; charset=UTF-8"),
            Map.entry("mjs", "text/javascript; charset=UTF-8"), Map.entry("json", "application/json"),
            Map.entry("map", "application/json"), Map.entry("txt", "text/plain; charset=UTF-8"),
            Map.entry("csv", "text/csv; charset=UTF-8"), Map.entry("md", "text/markdown; charset=UTF-8"),
            Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("avif", "image/avif"), Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"), Map.entry("wasm", "application/wasm"), Map.entry("pdf", "application/pdf"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"), Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"), Map.entry("ogg", "audio/ogg"),
            Map.entry("webmanifest", "application/manifest+json"), Map.entry("yaml", "application/yaml"));

    private final Path directory;
    private final String folder;
    private final ClassLoader loader;
    private final String where;

    private StaticFiles(Path directory, String folder, ClassLoader loader, String where) {
        this.directory = directory;
        this.folder = folder;
        this.loader = loader;
        this.where = where;
    }

    /**
     * Files of a location: {@code classpath:public} for a folder on the class path, else a
     * directory that must exist.
     *
     * @throws IllegalArgumentException when the directory does not exist or the folder is not on the class path
     */
    public static StaticFiles of(String location) {
        if (location.startsWith("classpath:")) {
            String folder = location.substring("classpath:".length()).replaceAll("^/+|/+$", "");
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            if (loader == null) {
                loader = StaticFiles.class.getClassLoader();
            }
            if (folder.isEmpty()) {
                throw new IllegalArgumentException("static files: \"" + location + "\" names the class path's root, which"
                        + " holds the application's classes and configuration; name a folder, such as classpath:public");
            }
            if (folder.contains("..") || loader.getResource(folder) == null) {
                throw new IllegalArgumentException("static files: no folder \"" + folder + "\" on the class path (from \""
                        + location + "\"); put it under src/main/resources/" + folder);
            }
            return new StaticFiles(null, folder, loader, location);
        }
        Path directory = Path.of(location).toAbsolutePath().normalize();
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("static files: " + directory + " is not a directory (from \"" + location
                    + "\"); give a directory that exists, or classpath:<folder> for one in the jar");
        }
        try {
            return new StaticFiles(directory.toRealPath(), null, null, location);
        } catch (IOException e) {
            throw new UncheckedIOException("static files: cannot read " + directory, e);
        }
    }

    @Override
    public void handle(Context ctx) throws Exception {
        String rest = ctx.route().endsWith("/" + RouteTable.TAIL) ? ctx.pathParam(RouteTable.TAIL) : "";
        String relative = safe(rest);
        if (relative == null) {
            throw HttpException.notFound("no file " + ctx.path());
        }
        File found = directory != null ? onDisk(relative) : onClassPath(relative);
        if (found == null) {
            throw HttpException.notFound("no file " + Pipeline.shortened(ctx.path()));
        }
        if (found.folder() && !ctx.path().endsWith("/")) {
            // Its index's relative links resolve against the folder only when the path ends in '/'.
            String query = ((ExchangeContext) ctx).exchange().getQueryString();
            ctx.status(301).header("Location", lastSegment(ctx.path()) + "/"
                    + (query == null || query.isEmpty() ? "" : "?" + query));
            return;
        }
        serve(ctx, found);
    }

    /** A file found: its name, size, time, where its bytes are, and whether it is a folder's index. */
    private record File(String name, long size, Instant modified, Path path, URL url, boolean folder) {}

    /** {@return the path's last segment: a Location relative to the folder's parent, whatever proxy prefix is in front} */
    private static String lastSegment(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** {@return the relative path when every segment is a plain name, else null} */
    static String safe(String rest) {
        if (rest.isEmpty()) {
            return "";
        }
        for (String segment : rest.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".") || segment.indexOf('\\') >= 0 || segment.indexOf(':') >= 0
                    || segment.indexOf('\0') >= 0 || segment.length() > 255) {
                return null;
            }
        }
        return rest;
    }

    private File onDisk(String relative) throws IOException {
        Path candidate = directory.resolve(relative).normalize();
        if (!candidate.startsWith(directory) || !Files.exists(candidate)) {
            return null;
        }
        Path real = inside(candidate);
        boolean folder = real != null && Files.isDirectory(real);
        if (folder) {
            real = inside(real.resolve("index.html"));
        }
        if (real == null || !Files.isRegularFile(real)) {
            return null;
        }
        BasicFileAttributes attributes = Files.readAttributes(real, BasicFileAttributes.class);
        return new File(real.getFileName().toString(), attributes.size(), attributes.lastModifiedTime().toInstant(),
                real, null, folder);
    }

    /**
     * {@return the real path of a file, links followed, when it is inside the directory and no
     * segment of it is hidden; else null} A link may lead elsewhere, or to {@code .git}.
     */
    private Path inside(Path path) throws IOException {
        if (!Files.exists(path)) {
            return null;
        }
        Path real = path.toRealPath();
        if (!real.startsWith(directory)) {
            return null;
        }
        for (Path segment : directory.relativize(real)) {
            if (segment.toString().startsWith(".")) {
                return null;
            }
        }
        return real;
    }

    private File onClassPath(String relative) throws IOException {
        String name = relative.isEmpty() ? folder : folder + "/" + relative;
        URL url = loader.getResource(name);
        boolean isFolder = url == null || isFolder(url);
        if (isFolder) {
            String index = name + "/index.html";
            url = loader.getResource(index);
            if (url == null) {
                return null;
            }
            name = index;
        }
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        long size = connection.getContentLengthLong();
        if (size < 0) {
            return null;
        }
        long modified = connection.getLastModified();
        return new File(name.substring(name.lastIndexOf('/') + 1), size,
                modified > 0 ? Instant.ofEpochMilli(modified) : null, null, url, isFolder);
    }

    private static boolean isFolder(URL url) throws IOException {
        if (url.toString().endsWith("/")) {
            return true;
        }
        if (url.getProtocol().equals("file")) {
            try {
                return Files.isDirectory(Path.of(url.toURI()));
            } catch (java.net.URISyntaxException | IllegalArgumentException e) {
                return false;
            }
        }
        if (url.openConnection() instanceof java.net.JarURLConnection jar) {
            // A jar finds "web/docs" as its entry "web/docs/": a folder, whose length is 0.
            jar.setUseCaches(false);
            var entry = jar.getJarEntry();
            return entry == null || entry.isDirectory();
        }
        return false;
    }

    private void serve(Context ctx, File file) throws IOException {
        String etag = etag(file);
        Instant modified = file.modified() == null ? null : file.modified().truncatedTo(ChronoUnit.SECONDS);
        ctx.header("ETag", etag);
        if (modified != null) {
            ctx.header("Last-Modified", Conditions.HTTP_DATE.format(modified));
        }
        ctx.header("Cache-Control", FINGERPRINTED.matcher(file.name()).matches()
                ? "public, max-age=31536000, immutable" : "no-cache");
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("X-Content-Type-Options", "nosniff");
        if (Conditions.notModified(ctx, etag, modified)) {
            ctx.status(304);
            return;
        }
        String type = contentType(file.name());
        long offset = 0;
        long length = file.size();
        String range = ctx.header("Range").orElse(null);
        if (range != null && Conditions.ifRangeHolds(ctx, etag, modified)) {
            long[] span = Conditions.span(range, file.size());
            if (span == Conditions.UNSATISFIABLE) {
                throw new HttpException(416, "the range " + shown(range) + " is outside the file's " + file.size()
                        + " bytes").header("Content-Range", "bytes */" + file.size());
            }
            // Only a range to the file's end is sent from disk without a copy; a shorter one from
            // disk, over the in-memory size, is answered whole (a server may ignore a Range).
            if (span != null && (span[1] == file.size() - 1 || span[1] - span[0] + 1 <= LARGEST_IN_MEMORY)) {
                offset = span[0];
                length = span[1] - span[0] + 1;
                ctx.status(206).header("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + file.size());
            }
        }
        var exchangeContext = (ExchangeContext) ctx;
        if (file.path() != null && offset + length == file.size()) {
            exchangeContext.file(type, file.path(), offset, length);
            return;
        }
        if (length > LARGEST_IN_MEMORY) {
            try (InputStream in = open(file); OutputStream out = exchangeContext.stream(type, length)) {
                in.skipNBytes(offset);
                copy(in, out, length);
            }
            return;
        }
        byte[] bytes;
        try (InputStream in = open(file)) {
            in.skipNBytes(offset);
            bytes = in.readNBytes((int) length);
        }
        ctx.bytes(bytes, type);
    }

    private static void copy(InputStream in, OutputStream out, long length) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        long left = length;
        while (left > 0) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                throw new IOException("the file ended " + left + " bytes early");
            }
            out.write(buffer, 0, read);
            left -= read;
        }
    }

    private static InputStream open(File file) throws IOException {
        if (file.path() != null) {
            return Files.newInputStream(file.path());
        }
        URLConnection connection = file.url().openConnection();
        connection.setUseCaches(false); // a cached jar would stay open, and never see a new one
        return connection.getInputStream();
    }

    private String etag(File file) throws IOException {
        if (file.modified() != null) {
            return "\"" + Long.toHexString(file.size()) + "-" + Long.toHexString(file.modified().toEpochMilli()) + "\"";
        }
        // No time for it (some class path entries): the content names it.
        var crc = new CRC32();
        try (InputStream in = open(file)) {
            byte[] buffer = new byte[16 * 1024];
            for (int read; (read = in.read(buffer)) > 0; ) {
                crc.update(buffer, 0, read);
            }
        }
        return "\"" + Long.toHexString(file.size()) + "-" + Long.toHexString(crc.getValue()) + "\"";
    }

    private static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }

    private static String shown(String text) {
        return "\"" + (text.length() > 60 ? text.substring(0, 60) + "…" : text) + "\"";
    }

    @Override
    public String toString() {
        return "static files of " + where;
    }
}
