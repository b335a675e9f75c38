package dev.skiff.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
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

    private final Config config;
    private final Sources sources;
    /** The keys the files declare and the aliases: with the keys records read, what a typo hint may name. */
    private final Set<String> declaredKeys;
    /** Known at load; grows only by the values that records bind as {@link Secret}; shared by views. */
    private final AtomicReference<Set<String>> secretValues;
    /** The paths records were bound at, for the blocks no record reads; shared by views. */
    private final Set<String> boundPaths;
    /** The keys records read that no file declares, by key: {@code config} lists them too; shared by views. */
    private final java.util.concurrent.ConcurrentMap<String, ConfigEntry> boundOnly;
    /** Null: {@link #bind} throws its problems; else where the launcher's view collects them. */
    private final Collecting collecting;

    /** A launcher's view: problems collected, secrets that are not set maybe left to the processes that read them. */
    private record Collecting(boolean deferSecrets, List<ConfigProblem> problems, List<ConfigProblem> deferred,
                              java.util.concurrent.atomic.AtomicBoolean open) {}

    private Configuration(Layers.Loaded loaded) {
        this.config = loaded.config();
        this.sources = loaded.sources();
        this.declaredKeys = loaded.declaredKeys();
        this.secretValues = new AtomicReference<>();
        this.boundOnly = new java.util.concurrent.ConcurrentHashMap<>();
        this.boundPaths = java.util.concurrent.ConcurrentHashMap.newKeySet();
        this.collecting = null;
        this.secretValues.set(collectSecretValues());
    }

    /** The launcher's view (through {@code config.launch.internal.Binding}): binds collect their problems. */
    Configuration collectingView(boolean deferSecrets, List<ConfigProblem> problems, List<ConfigProblem> deferred) {
        return new Configuration(this, new Collecting(deferSecrets, problems, deferred,
                new java.util.concurrent.atomic.AtomicBoolean(true)));
    }

    /**
     * {@return a warning for each top-level block the application's files set that no record has
     * been bound at or under, such as a misspelt process type's block} For the launcher, once
     * every setup has bound what it reads.
     */
    List<String> unreadBlocks() {
        Set<String> roots = new TreeSet<>();
        for (String path : boundPaths) {
            roots.add(path.contains(".") ? path.substring(0, path.indexOf('.')) : path);
        }
        List<String> warnings = new ArrayList<>();
        for (String block : new TreeSet<>(config.root().keySet())) {
            if (roots.contains(block) || block.equals(Layers.ALIASES_KEY.split("\\.")[0])) {
                continue;
            }
            ConfigValue value = config.root().get(block);
            String origin = Origins.describe(value.origin());
            if (origin.startsWith("default (")) {
                continue; // a library's reference.conf: its own business
            }
            String hint = EnvNames.closest(block, roots).map(r -> "; did you mean " + r + "?")
                    .orElse("; the blocks read are " + String.join(", ", roots));
            warnings.add(origin + " sets " + block + ", which no setting reads" + hint);
        }
        return warnings;
    }

    /**
     * Ends the collecting of a view made by {@link #collectingView}: setup is over, and from now
     * on its {@code bind} throws its problems as the configuration's own does (a bind in a
     * command or a handler gets its problems, never a stand-in).
     */
    void closeView() {
        if (collecting != null) {
            collecting.open().set(false);
        }
    }

    /** The configuration a view was made of, whose binds throw (through {@code config.launch.internal.Binding}). */
    Configuration strictView() {
        return collecting == null ? this : new Configuration(this, null);
    }

    private Configuration(Configuration of, Collecting collecting) {
        this.config = of.config;
        this.sources = of.sources;
        this.declaredKeys = of.declaredKeys;
        this.secretValues = of.secretValues;
        this.boundOnly = of.boundOnly;
        this.boundPaths = of.boundPaths;
        this.collecting = collecting;
    }

    /**
     * Loads the configuration from the context class loader's classpath and the given sources.
     * What it loads is frozen: nothing, binding included, changes it afterwards.
     *
     * @param env the environment variables, usually {@code System.getenv()}
     * @param systemProperties the JVM system properties that may set keys
     * @param workingDirectory the directory that may hold a {@code .env} file
     * @return the loaded configuration
     * @throws ConfigurationException if a file cannot be parsed or the layers disagree, with every problem
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
     * Every problem is collected before anything is thrown. Binding changes no value: the same call
     * returns an equal record every time. What it adds is knowledge: a value bound as a
     * {@link Secret} joins {@link #secretValues()}, registered as it is parsed, before anything can
     * print it.
     *
     * @param path the key of the block, such as {@code http}
     * @param type the record class to create
     * @param <T> the record type
     * @return a new record holding the configured values
     * @throws ConfigurationException listing every missing, malformed or unknown value
     */
    public <T extends Record> T bind(String path, Class<T> type) {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
        boolean collects = collecting != null && collecting.open().get();
        RecordBinder.Bound<T> bound = RecordBinder.bind(config, sources, path, type,
                collects && collecting.deferSecrets());
        secretValues.updateAndGet(known -> {
            if (known.containsAll(bound.secrets())) {
                return known;
            }
            var more = new TreeSet<>(known);
            more.addAll(bound.secrets());
            more.remove("");
            return Set.copyOf(more);
        });
        for (ConfigEntry entry : bound.notInFiles()) {
            boundOnly.put(entry.key(), entry);
        }
        boundPaths.add(path);
        // Registered first: a record with one bad value still holds secrets that must never print.
        if (collects) {
            synchronized (collecting) {
                collecting.problems().addAll(bound.problems());
                collecting.deferred().addAll(bound.deferred());
            }
            return bound.value();
        }
        if (!bound.problems().isEmpty()) {
            throw new ConfigurationException(bound.problems());
        }
        return bound.value();
    }

    /**
     * Returns every value that must not be printed: from the moment the configuration is loaded,
     * values under keys that look secret (a word of the last part is or ends in {@code password},
     * {@code secret}, {@code token}, {@code key} or {@code credential}), values of variables named like secrets
     * ({@code NOTES_API_TOKEN}) and passwords in URLs; and each value bound as a {@link Secret}
     * from its binding on. Log output uses it to redact.
     *
     * @return the values known now
     */
    public Set<String> secretValues() {
        return secretValues.get();
    }

    private Set<String> collectSecretValues() {
        Set<String> values = new TreeSet<>(sources.secretValues());
        for (var entry : config.entrySet()) {
            String key = entry.getKey();
            ConfigValue value = entry.getValue();
            if (value.valueType() == ConfigValueType.OBJECT || key.startsWith(Layers.ALIASES_KEY + ".")) {
                continue;
            }
            boolean secret = SecretKeys.looksSecret(key);
            List<String> texts = value.valueType() == ConfigValueType.LIST
                    ? config.getList(key).stream().map(v -> String.valueOf(v.unwrapped())).toList()
                    : List.of(String.valueOf(value.unwrapped()));
            for (String text : texts) {
                if (secret) {
                    // A list set from the environment arrives as one comma-separated text: the whole
                    // and each part are secrets.
                    var candidates = new ArrayList<>(List.of(text.split(",")));
                    candidates.add(text);
                    for (String candidate : candidates) {
                        if (SecretKeys.couldBeSecret(candidate.strip())) {
                            values.add(candidate.strip());
                        }
                    }
                }
                values.addAll(UrlSecrets.of(text));
            }
        }
        values.remove("");
        return Set.copyOf(values);
    }

    /** {@return the effective configuration, sorted by key, with each value's origin; secrets masked} */
    List<ConfigEntry> entries() {
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
            // A value bound as a Secret under a key that does not look secret is masked by its value.
            String shown = key.startsWith(Layers.ALIASES_KEY + ".") ? text : SecretKeys.display(key, text);
            // What masking by key and by URL left, if it still shows a known secret, is masked whole.
            shown = !key.startsWith(Layers.ALIASES_KEY + ".") && holdsSecret(shown) ? Secret.MASK : shown;
            entries.add(new ConfigEntry(key, shown, Origins.describe(value.origin())));
        }
        // And the keys records read that no file declares: a variable's value, or not set.
        for (ConfigEntry entry : boundOnly.values()) {
            if (!config.hasPath(entry.key())) {
                entries.add(holdsSecret(entry.value()) ? new ConfigEntry(entry.key(), Secret.MASK, entry.origin()) : entry);
            }
        }
        entries.sort((a, b) -> a.key().compareTo(b.key()));
        return List.copyOf(entries);
    }

    /** {@return whether a value shown would show a known secret: whole, as an item of a list, or within} */
    private boolean holdsSecret(String text) {
        for (String secret : secretValues.get()) {
            if (SecretKeys.couldBeSecret(secret) && text.contains(secret)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns the effective configuration for a person to read, one key per line with where its
     * value came from; what {@code java -jar app.jar config} prints. Values that are secret (see
     * {@link #secretValues()}) are masked, and so are passwords in URLs.
     *
     * @return lines such as {@code http.port = 8080   # env var PORT}
     */
    public String describe() {
        List<ConfigEntry> entries = entries();
        int width = entries.stream().mapToInt(entry -> entry.key().length() + entry.value().length() + 3).max().orElse(0);
        var out = new StringBuilder();
        for (ConfigEntry entry : entries) {
            String assignment = entry.key() + " = " + entry.value();
            out.append(assignment).append(" ".repeat(Math.max(1, width - assignment.length() + 2)))
                    .append("# ").append(entry.origin()).append('\n');
        }
        return out.toString();
    }

    /**
     * Returns one line naming every value that is not a library default, masked like
     * {@link #describe()}; for the startup log.
     *
     * @return such as {@code http.port=0 (env var PORT), service.name=notes (application.conf: 3)}
     */
    public String summary() {
        var overridden = new StringJoiner(", ");
        for (ConfigEntry e : entries()) {
            if (!e.origin().startsWith("default (") && !e.origin().startsWith("not set")) {
                overridden.add(e.key() + "=" + e.value() + " (" + e.origin() + ")");
            }
        }
        return overridden.length() == 0 ? "all defaults" : overridden.toString();
    }

    /**
     * Returns what looks wrong but stops nothing, such as an environment variable that looks like
     * a typo of one that sets a key. The keys are those the files declare and those the records bound
     * so far read: ask once every record is bound, as the launcher does.
     *
     * @return sentences for a warning log event each
     */
    public List<String> warnings() {
        var keys = new TreeSet<>(declaredKeys);
        keys.addAll(boundOnly.keySet());
        return sources.typoWarnings(keys);
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
