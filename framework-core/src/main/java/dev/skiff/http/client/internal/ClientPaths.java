package dev.skiff.http.client.internal;

import dev.skiff.logging.internal.Logging;
import java.net.URI;

/** Where a client's path may lead — under its service's URL, and nowhere else however it is encoded — and how a URL is shown. */
final class ClientPaths {

    private ClientPaths() {}

    /** {@return whether a raw path segment, decoded as a server might, names another place than a segment} */
    static boolean escapesAsASegment(String segment) {
        String decoded = percentDecoded(segment);
        if (decoded == null) {
            return true; // not valid percent-encoding as sent: no server reads it one way only
        }
        // Decoded again while it still decodes (%252e is a dot to a server that decodes twice);
        // a '%' that no longer starts an escape is a plain character.
        for (int round = 0; decoded.indexOf('%') >= 0; round++) {
            String again = percentDecoded(decoded);
            if (again == null || again.equals(decoded)) {
                break;
            }
            if (round == 3) {
                return true; // encoded more deeply than any server decodes: refused rather than guessed
            }
            decoded = again;
        }
        for (int i = 0; i < decoded.length(); i++) {
            char c = decoded.charAt(i);
            if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        int parameters = decoded.indexOf(';');
        String name = parameters < 0 ? decoded : decoded.substring(0, parameters);
        return name.equals(".") || name.equals("..");
    }

    /** {@return the text with every {@code %XX} decoded as UTF-8, or null when an escape is not two hex digits} */
    private static String percentDecoded(String text) {
        var bytes = new java.io.ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                continue;
            }
            if (i + 2 >= text.length()) {
                return null;
            }
            int high = Character.digit(text.charAt(i + 1), 16);
            int low = Character.digit(text.charAt(i + 2), 16);
            if (high < 0 || low < 0) {
                return null;
            }
            bytes.write(high * 16 + low);
            i += 2;
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The URL of a path under the service's URL. The path is appended to the URL's own path, never
     * resolved as a reference: no other host ({@code //host}, {@code http://…}), no other place on
     * this one; anything else is refused. Each segment is read as a server might, percent-decoded
     * again and again (so {@code %252e} is a dot too) and cut at {@code ;} (a path parameter): it
     * must not then be {@code .} or {@code ..}, nor hold a slash, a backslash or a control
     * character — {@code ..%2f}, {@code %2e%2e}, {@code ..;}, {@code ..%5c} and {@code %00} leave
     * a base URL on many servers.
     */
    static URI resolve(URI base, String path, String name) {
        String basePath = base.getRawPath() == null || base.getRawPath().isEmpty() ? "/" : base.getRawPath();
        if (!basePath.endsWith("/")) {
            basePath += "/";
        }
        String relative = path == null ? "" : path.replaceFirst("^/+", "");
        String pathPart = relative.split("[?#]", 2)[0];
        boolean escapes = path == null || path.startsWith("//") || path.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")
                || pathPart.contains("\\");
        for (String segment : pathPart.split("/", -1)) {
            escapes |= escapesAsASegment(segment);
        }
        URI resolved = null;
        if (!escapes) {
            try {
                resolved = URI.create(base.getScheme() + "://" + base.getRawAuthority() + basePath + relative);
            } catch (IllegalArgumentException e) {
                escapes = true;
            }
        }
        if (escapes || !resolved.getRawAuthority().equals(base.getRawAuthority())
                || resolved.getRawPath() == null || !resolved.getRawPath().startsWith(basePath)) {
            throw new IllegalArgumentException("the path " + path + " is not a path under " + name + "'s URL " + base
                    + ": give a path such as /v1/charges/42, not a URL, with no segment that is or decodes to . or .., or holds"
                    + " an encoded / or \\ or a control character; a name from input that could be one needs checking first");
        }
        return resolved;
    }

    /** {@return the URI as a span may carry it: its path through the log's redactor, no user info or query} */
    static URI redacted(URI uri) {
        String path = uri.getRawPath() == null ? "" : Logging.redacted(uri.getRawPath());
        try {
            return new URI(uri.getScheme() + "://" + uri.getRawAuthority().replaceFirst("^[^@]*@", "") + path);
        } catch (java.net.URISyntaxException e) {
            return URI.create(uri.getScheme() + "://" + uri.getHost());
        }
    }
}
