package dev.skiff.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.skiff.config.internal.EnvNames;
import dev.skiff.config.internal.Layers;
import dev.skiff.config.internal.Origins;
import dev.skiff.config.internal.RecordBinder;
import dev.skiff.config.internal.SecretKeys;
import dev.skiff.config.internal.UrlSecrets;
import dev.skiff.config.internal.Sources;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The effective configuration of a service: loaded once from its layers, then bound to records.
 *
 * <p>Layers, later wins: every {@code reference.conf} on the classpath, the application's
 * {@code application.conf}, a {@code .env} file in the working directory (if present), JVM system
 * properties, and environment variables. A key's environment variable follows one rule: upper
 * case, with {@code .} and {@code -} turned into {@code _} ({@code http.max-body-size} is set by
 * {@code HTTP_MAX_BODY_SIZE}). The twelve-factor names {@code PORT}, {@code HOST},
 * {@code DATABASE_URL}, {@code LOG_LEVEL}, {@code LOG_FORMAT} and {@code MANAGEMENT_PORT} are
 * aliases; an application declares its own in {@code application.conf} under
 * {@code skiff.env-aliases}.
 *
 * {@snippet :
 * record HttpSettings(String host, int port) {}
 *
 * Configuration config = Configuration.load(System.getenv(), Map.of(), Path.of(""));
 * HttpSettings http = config.bind("http", HttpSettings.class);
 * }
 */
public final class Configuration {

    private volatile Config config;
    private final Sources sources;
    private final List<String> warnings;
    private final Set<String> secretKeys = ConcurrentHashMap.newKeySet();
    private volatile Set<String> secretValues;

    private Configuration(Layers.Loaded loaded) {
        this.config = loaded.config();
        this.sources = loaded.sources();
        this.warnings = List.copyOf(loaded.warnings());
        this.secretValues = collectSecretValues();
    }

    /**
     * Loads the configuration from the context class loader's classpath and the given sources.
     *
     * @param env the environment variables, usually {@code System.getenv()}
     * @param systemProperties the JVM system properties that may set keys
     * @param workingDirectory the directory that may hold a {@code .env} file
     * @return the loaded configuration
     * @throws ConfigException if a file cannot be parsed or the layers disagree, with every problem
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
        return new Configuration(Layers.load(loader, env, systemProperties, workingDirectory));
    }

    /**
     * Binds the block at {@code path} to a record, converting every component from its key.
     *
     * <p>A component {@code maxBodySize} is read from the key {@code max-body-size} below
     * {@code path}, and may be set by {@code PATH_MAX_BODY_SIZE} even where no file declares it.
     * Every problem is collected before anything is thrown.
     *
     * @param path the key of the block, such as {@code http}
     * @param type the record class to create
     * @param <T> the record type
     * @return a new record holding the configured values
     * @throws ConfigException listing every missing, malformed or unknown value
     */
    public <T extends Record> T bind(String path, Class<T> type) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        synchronized (this) {
            RecordBinder.Bound<T> bound = RecordBinder.bind(config, sources, path, type);
            secretKeys.addAll(bound.secretKeys());
            // Keys set only by the environment now show in entries() and secretValues().
            config = bound.config();
            secretValues = collectSecretValues();
            return bound.value();
        }
    }

    /**
     * Returns every value that must not be printed: those bound to {@link Secret}, those under
     * keys that look secret ({@code *password*}, {@code *secret*}, {@code *token*}, {@code *key*}),
     * and passwords in URLs. Log output uses it to redact.
     *
     * @return the values, as of the records bound so far; the same set until the next bind
     */
    public Set<String> secretValues() {
        return secretValues;
    }

    private Set<String> collectSecretValues() {
        Set<String> values = new TreeSet<>();
        for (var entry : config.entrySet()) {
            String key = entry.getKey();
            ConfigValue value = entry.getValue();
            if (value.valueType() == ConfigValueType.OBJECT || key.startsWith(Layers.ALIASES_KEY + ".")) {
                continue;
            }
            boolean secret = secretKeys.contains(key) || SecretKeys.looksSecret(key);
            List<String> texts = value.valueType() == ConfigValueType.LIST
                    ? config.getList(key).stream().map(v -> String.valueOf(v.unwrapped())).toList()
                    : List.of(String.valueOf(value.unwrapped()));
            for (String text : texts) {
                if (secret) {
                    values.add(text);
                    // A list set from the environment arrives as one comma-separated text.
                    for (String part : text.split(",")) {
                        values.add(part.strip());
                    }
                }
                values.addAll(UrlSecrets.of(text));
            }
        }
        values.remove("");
        return Set.copyOf(values);
    }

    /**
     * Returns the effective configuration, sorted by key, with each value's origin. Secret and
     * secret-looking values are masked; so are passwords in URLs.
     *
     * @return one entry per key
     */
    public List<ConfigEntry> entries() {
        List<ConfigEntry> entries = new ArrayList<>();
        for (var entry : config.entrySet()) {
            String key = entry.getKey();
            ConfigValue value = entry.getValue();
            String text = switch (value.valueType()) {
                case LIST -> config.getList(key).stream().map(v -> String.valueOf(v.unwrapped()))
                        .collect(Collectors.joining(", ", "[", "]"));
                case NULL -> "null";
                default -> String.valueOf(value.unwrapped());
            };
            String shown = secretKeys.contains(key) ? Secret.MASK
                    : key.startsWith(Layers.ALIASES_KEY + ".") ? text : SecretKeys.display(key, text);
            entries.add(new ConfigEntry(key, shown, Origins.describe(value.origin())));
        }
        entries.sort(Comparator.comparing(ConfigEntry::key));
        return List.copyOf(entries);
    }

    /**
     * Returns one line naming every value that is not a library default, masked like
     * {@link #entries()}; for the startup log.
     *
     * @return such as {@code http.port=0 (env var PORT), service.name=notes (application.conf: 3)}
     */
    public String summary() {
        String overridden = entries().stream()
                .filter(e -> !e.origin().startsWith("default ("))
                .map(e -> e.key() + "=" + e.value() + " (" + e.origin() + ")")
                .collect(Collectors.joining(", "));
        return overridden.isEmpty() ? "all defaults" : overridden;
    }

    /**
     * Returns what looks wrong but stops nothing, such as an environment variable that looks like
     * a typo of one that sets a key.
     *
     * @return sentences for a warning log event each
     */
    public List<String> warnings() {
        return warnings;
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
