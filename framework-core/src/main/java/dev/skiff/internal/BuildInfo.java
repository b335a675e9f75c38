package dev.skiff.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/**
 * Release metadata that the build writes: beside each Skiff module's public package, and for a
 * service built with {@code dev.skiff:service-parent} in {@code META-INF/skiff/build-info.properties}.
 *
 * @param name the artifact's name
 * @param version its version
 * @param commit the git commit it was built from, or {@code unknown}
 * @param buildTime when it was built, or {@code unknown}
 */
public record BuildInfo(String name, String version, String commit, String buildTime) {

    private static final String UNKNOWN = "unknown";

    /** The service's metadata, written by {@code dev.skiff:service-parent}. */
    private static final String SERVICE_BUILD_INFO = "/META-INF/skiff/build-info.properties";

    /**
     * Reads {@code build-info.properties} from the package of {@code type}, else the service's
     * {@value #SERVICE_BUILD_INFO}; unknown parts say so.
     */
    public static BuildInfo of(Class<?> type) {
        var properties = new Properties();
        InputStream found = type.getResourceAsStream("build-info.properties");
        if (found == null && !type.getPackageName().startsWith("dev.skiff")) {
            found = type.getResourceAsStream(SERVICE_BUILD_INFO);
        }
        try (InputStream in = found) {
            if (in != null) {
                properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // Unreadable metadata must not stop a service; every field then reads "unknown".
        }
        return new BuildInfo(
                get(properties, "name"),
                get(properties, "version"),
                get(properties, "commit"),
                get(properties, "build.time"));
    }

    /** {@return the first 12 characters of the commit, as git shows it} */
    public String shortCommit() {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    private static String get(Properties properties, String key) {
        String value = properties.getProperty(key, UNKNOWN).trim();
        // A build without git leaves the placeholder if a default was not applied.
        return value.isEmpty() || value.startsWith("${") ? UNKNOWN : value;
    }
}
