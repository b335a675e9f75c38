package dev.skiff.jdbc.internal;

import dev.skiff.config.Secret;
import dev.skiff.config.internal.UrlCredentials;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A database URL as platforms hand it out, split into what a JDBC driver takes: a JDBC URL with no
 * credentials in it, and the user and password apart, so the password never reaches a log line,
 * an exception message or the JDBC URL.
 *
 * <p>Accepted: {@code postgres://user:password@host:port/database?params} and {@code postgresql://…}
 * (Heroku, Render, Fly, Dokku; user and password percent-decoded, port 5432 by default, parameters
 * such as {@code sslmode} carried over), and any {@code jdbc:} URL as it is.
 *
 * {@snippet :
 * var url = DatabaseUrl.parse("postgres://notes:s3cr%40t@db.internal/notes?sslmode=require");
 * url.jdbcUrl();   // "jdbc:postgresql://db.internal:5432/notes?sslmode=require"
 * url.user();      // Optional[notes]
 * url.password();  // Optional[******], revealing "s3cr@t"
 * }
 *
 * @param jdbcUrl the JDBC URL, without credentials
 * @param user the user, when the URL names one
 * @param password the password, when the URL holds one
 */
public record DatabaseUrl(String jdbcUrl, Optional<String> user, Optional<Secret> password) {

    /** The port PostgreSQL listens on unless told otherwise. */
    public static final int POSTGRES_PORT = 5432;

    /** Checks every part. */
    public DatabaseUrl {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /**
     * Parses a database URL.
     *
     * @param url a {@code postgres://}, {@code postgresql://} or {@code jdbc:} URL
     * @return its JDBC form and credentials
     * @throws IllegalArgumentException when the URL is malformed or its scheme unsupported; the
     *     message names what is wrong and never contains the password
     */
    public static DatabaseUrl parse(String url) {
        Objects.requireNonNull(url, "url");
        String text = url.strip();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("is empty: set it to postgres://user:password@host:5432/database"
                    + " or a jdbc: URL");
        }
        if (text.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return jdbc(text);
        }
        int colon = text.indexOf("://");
        if (colon <= 0) {
            throw new IllegalArgumentException("is not a URL: expected postgres://user:password@host:5432/database"
                    + " or a jdbc: URL");
        }
        String scheme = text.substring(0, colon).toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgres") && !scheme.equals("postgresql")) {
            throw new IllegalArgumentException("has the scheme " + scheme + ", which Skiff does not turn into a JDBC"
                    + " URL: use postgres://… or postgresql://…, or a jdbc: URL with its driver on the classpath");
        }
        return postgres(text.substring(colon + 3));
    }

    private static DatabaseUrl postgres(String rest) {
        int at = userInfoEnd(rest);
        String userInfo = at < 0 ? null : rest.substring(0, at);
        String afterUser = at < 0 ? rest : rest.substring(at + 1);
        int slash = afterUser.indexOf('/');
        int question = afterUser.indexOf('?');
        int hostEnd = slash >= 0 ? slash : question >= 0 ? question : afterUser.length();
        String hosts = afterUser.substring(0, hostEnd);
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("names no host: expected postgres://user:password@host:5432/database");
        }
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://");
        String[] parts = hosts.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            jdbc.append(i == 0 ? "" : ",").append(hostAndPort(parts[i]));
        }
        String path = slash < 0 ? "" : afterUser.substring(slash + 1, question > slash ? question : afterUser.length());
        if (path.isEmpty()) {
            throw new IllegalArgumentException("names no database: add it after the host, as in"
                    + " postgres://user:password@" + hosts + "/database");
        }
        jdbc.append('/').append(path);
        if (question >= 0 && question < afterUser.length() - 1) {
            jdbc.append('?').append(afterUser.substring(question + 1));
        }
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        if (userInfo != null) {
            int split = userInfo.indexOf(':');
            String rawUser = split < 0 ? userInfo : userInfo.substring(0, split);
            if (!rawUser.isEmpty()) {
                user = Optional.of(decode(rawUser, "the user"));
            }
            if (split >= 0) {
                password = Optional.of(Secret.of(decode(userInfo.substring(split + 1), "the password")));
            }
        }
        return new DatabaseUrl(jdbc.toString(), user, password);
    }

    /**
     * A jdbc: URL keeps its parameters, but {@code user=} and {@code password=} of its query are
     * taken apart as for a postgres:// URL, so the password is a {@link Secret} and never part of
     * the JDBC URL that is shown or handed on.
     */
    private static DatabaseUrl jdbc(String url) {
        int question = url.indexOf('?');
        if (question < 0) {
            return new DatabaseUrl(url, Optional.empty(), Optional.empty());
        }
        Optional<String> user = Optional.empty();
        Optional<Secret> password = Optional.empty();
        var kept = new StringBuilder();
        for (String parameter : url.substring(question + 1).split("&", -1)) {
            int equals = parameter.indexOf('=');
            String name = (equals < 0 ? parameter : parameter.substring(0, equals)).toLowerCase(Locale.ROOT);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            if (name.equals("password")) {
                password = Optional.of(Secret.of(queryDecode(value)));
            } else if (name.equals("user")) {
                user = Optional.of(queryDecode(value));
            } else if (!parameter.isEmpty()) {
                kept.append(kept.isEmpty() ? "" : "&").append(parameter);
            }
        }
        String jdbcUrl = url.substring(0, question) + (kept.isEmpty() ? "" : "?" + kept);
        return new DatabaseUrl(jdbcUrl, user, password);
    }

    /** Decodes a query parameter as JDBC drivers do: {@code %XX}, and {@code +} for a space. */
    private static String queryDecode(String value) {
        try {
            return java.net.URLDecoder.decode(value, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            // Names no part of the value: it may be the password.
            throw new IllegalArgumentException("has an invalid percent-escape in a query parameter: write a '%' as %25");
        }
    }

    /**
     * Where the credentials end, by the one reading of a URL's credentials that the configuration
     * and the log redactor share ({@link UrlCredentials}): so a password may hold '@', '/', '?',
     * '#' and ';', and a query parameter may hold '@' too.
     */
    private static int userInfoEnd(String rest) {
        return UrlCredentials.userInfoEnd(rest, 0);
    }

    private static String hostAndPort(String hostPort) {
        String host;
        String port;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("has an IPv6 host without its closing ']'");
            }
            host = hostPort.substring(0, close + 1);
            String after = hostPort.substring(close + 1);
            port = after.startsWith(":") ? after.substring(1) : after.isEmpty() ? null : after;
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            port = colon < 0 ? null : hostPort.substring(colon + 1);
        }
        if (host.isEmpty() || host.chars().anyMatch(c -> c <= ' ' || c == '@' || c == '/')) {
            throw new IllegalArgumentException("has an invalid host '" + host + "'");
        }
        int number = POSTGRES_PORT;
        if (port != null && !port.isEmpty()) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                number = -1;
            }
            if (number < 1 || number > 65535) {
                // The port's text is not echoed: in a URL missing its '@', it is the password.
                throw new IllegalArgumentException("has a port after host " + host
                        + " that is not a number from 1 to 65535");
            }
        }
        return host + ":" + number;
    }

    /** Percent-decoding as in a URL's user info: {@code %XX} only ({@code +} stays a plus). */
    private static String decode(String text, String what) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        var out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int value = i + 2 < text.length() ? hex(text.charAt(i + 1), text.charAt(i + 2)) : -1;
                if (value < 0) {
                    // Names the position, never the text: it may be the password.
                    throw new IllegalArgumentException("has an invalid percent-escape in " + what + " at character "
                            + (i + 1) + ": write a '%' as %25");
                }
                out.write(value);
                i += 2;
            } else {
                int codePoint = text.codePointAt(i);
                byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
                i += Character.charCount(codePoint) - 1;
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(char high, char low) {
        int h = Character.digit(high, 16);
        int l = Character.digit(low, 16);
        return h < 0 || l < 0 ? -1 : h * 16 + l;
    }

    /**
     * {@return the URL as it may be shown: the JDBC URL and the user, never the password: a
     * password left in the JDBC URL's user info or parameters (such as {@code sslpassword}) is
     * masked}
     */
    @Override
    public String toString() {
        return UrlCredentials.masked(jdbcUrl) + user.map(u -> " as " + u).orElse("");
    }
}
