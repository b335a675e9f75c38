package dev.skiff.config;

import com.typesafe.config.Config;
import dev.skiff.config.internal.EnvNames;
import dev.skiff.config.internal.Layers;
import dev.skiff.config.internal.RecordBinder;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The effective configuration of a service, loaded once from its layers and then bound to records.
 *
 * <p>Layers, later wins: every {@code reference.conf} on the classpath, the application's
 * {@code application.conf}, JVM system properties, and environment variables. A key's environment
 * variable follows one rule: upper case, with {@code .} and {@code -} turned into {@code _}
 * ({@code http.max-body-size} is set by {@code HTTP_MAX_BODY_SIZE}). A few twelve-factor names
 * are aliases: {@code PORT}, {@code HOST}, {@code DATABASE_URL}, {@code LOG_LEVEL},
 * {@code LOG_FORMAT} and {@code MANAGEMENT_PORT}.
 *
 * {@snippet :
 * record HttpSettings(String host, int port) {}
 *
 * Configuration config = Configuration.load(System.getenv(), Map.of(), Path.of(""));
 * HttpSettings http = config.bind("http", HttpSettings.class);
 * }
 */
public final class Configuration {

    private final Config config;

    private Configuration(Config config) {
        this.config = config;
    }

    /**
     * Loads the configuration from the classpath of this class's loader and the given sources.
     *
     * @param env the environment variables, usually {@code System.getenv()}
     * @param systemProperties the JVM system properties that may set keys
     * @param workingDirectory the directory the service runs in
     * @return the loaded configuration
     * @throws ConfigException if a file cannot be parsed, with every problem found
     */
    public static Configuration load(
            Map<String, String> env, Map<String, String> systemProperties, Path workingDirectory) {
        Objects.requireNonNull(env, "env");
        Objects.requireNonNull(systemProperties, "systemProperties");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = Configuration.class.getClassLoader();
        }
        return new Configuration(Layers.load(loader, env, systemProperties));
    }

    /**
     * Binds the subtree at {@code path} to a record, converting every component from its key.
     *
     * <p>A component {@code maxBodySize} is read from the key {@code max-body-size} below
     * {@code path}. Every problem is collected before anything is thrown.
     *
     * @param path the key of the subtree, such as {@code http}
     * @param type the record class to create
     * @param <T> the record type
     * @return a new record holding the configured values
     * @throws ConfigException listing every missing or malformed value
     */
    public <T extends Record> T bind(String path, Class<T> type) {
        return RecordBinder.bind(config, path, type);
    }

    /**
     * Returns the environment variable that sets a key, by Skiff's one naming rule.
     *
     * @param key a configuration key, such as {@code http.max-body-size}
     * @return the variable's name, such as {@code HTTP_MAX_BODY_SIZE}
     */
    public static String envName(String key) {
        return EnvNames.of(key);
    }
}
