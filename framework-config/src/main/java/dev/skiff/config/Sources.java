package dev.skiff.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The layers above the files: {@code .env} &lt; system properties &lt; environment variables.
 * Each sets a key by the one naming rule or by an alias, or by either with {@code _FILE} appended,
 * naming a file that holds the value (Docker and Kubernetes secrets).
 */
final class Sources {

    private final Map<String, String> env;
    private final Map<String, String> systemProperties;
    private final Map<String, DotEnv.Value> dotEnv;
    private final Map<String, String> aliasByKey;
    private final Set<String> aliases;
    private final SecretFiles envFiles;
    private final SecretFiles dotEnvFiles;
    /** The values read from files that set a key so far: secrets, and only these (not any *_FILE's). */
    private final Set<String> fileValuesUsed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** The start of the origin of a value read from a file. */
    static final String FILE_ORIGIN = "file ";

    Sources(Map<String, String> env, Map<String, String> systemProperties, Map<String, DotEnv.Value> dotEnv,
            Map<String, String> keyByAlias, Path workingDirectory) {
        this.env = Map.copyOf(env);
        this.systemProperties = Map.copyOf(systemProperties);
        this.dotEnv = Map.copyOf(dotEnv);
        this.envFiles = SecretFiles.of(this.env, workingDirectory);
        var dotEnvTexts = new LinkedHashMap<String, String>();
        for (var line : dotEnv.entrySet()) {
            dotEnvTexts.put(line.getKey(), line.getValue().value());
        }
        this.dotEnvFiles = SecretFiles.of(Map.copyOf(dotEnvTexts), workingDirectory);
        var byKey = new LinkedHashMap<String, String>();
        for (var alias : keyByAlias.entrySet()) {
            byKey.put(alias.getValue(), alias.getKey());
        }
        this.aliasByKey = byKey;
        this.aliases = Set.copyOf(keyByAlias.keySet());
    }

    /** {@return the env var to name in a report for the key: its alias if it has one, else the rule's name} */
    public String envVarFor(String key) {
        String name = aliasByKey.getOrDefault(key, EnvNames.of(key));
        // Set through its file: the report names the variable the user set.
        if (!isSet(name) && isSet(name + SecretFiles.SUFFIX)) {
            return name + SecretFiles.SUFFIX;
        }
        String rule = EnvNames.of(key);
        if (!isSet(name) && !isSet(rule) && isSet(rule + SecretFiles.SUFFIX)) {
            return rule + SecretFiles.SUFFIX;
        }
        return name;
    }

    /** {@return whether the value was read from a file named by a _FILE variable} */
    static boolean fromFile(ConfigValue value) {
        return value.origin() != null && value.origin().description().startsWith(FILE_ORIGIN);
    }

    /** {@return every variable name set in the environment or in .env} */
    public Set<String> setNames() {
        var names = new TreeSet<>(env.keySet());
        names.addAll(dotEnv.keySet());
        return names;
    }

    /** {@return the alias names, such as {@code PORT}} */
    public Set<String> aliases() {
        return aliases;
    }

    /**
     * {@return the values of variables (environment and {@code .env}) that are secrets by their name,
     * such as {@code NOTES_API_TOKEN}, the passwords in every variable's URLs, and every value read
     * from a {@code _FILE} variable's file} Known when the configuration loads, before any record
     * is bound, so nothing can print them first.
     */
    public Set<String> secretValues() {
        var values = new TreeSet<String>();
        var all = new LinkedHashMap<String, String>();
        for (var line : dotEnv.entrySet()) {
            all.put(line.getKey(), line.getValue().value());
        }
        all.putAll(env);
        for (var variable : all.entrySet()) {
            String value = variable.getValue();
            if (SecretKeys.namesSecret(variable.getKey()) && SecretKeys.couldBeSecret(value.strip())) {
                values.add(value.strip());
            }
            values.addAll(UrlSecrets.of(value));
        }
        for (String value : fileValuesUsed) {
            if (SecretKeys.couldBeSecret(value.strip())) {
                values.add(value);
                values.add(value.strip());
            }
            values.addAll(UrlSecrets.of(value));
        }
        values.remove("");
        return values;
    }

    /** {@return whether a variable is set in the environment or in .env} */
    public boolean isSet(String name) {
        return env.containsKey(name) || dotEnv.containsKey(name);
    }

    /**
     * Sets each key from the highest layer that has it, on top of {@code base}.
     *
     * @param problems receives a problem where an alias and the rule's name disagree
     */
    public Config overlay(Config base, Collection<String> keys, List<ConfigProblem> problems) {
        Config out = base;
        for (String key : keys) {
            Optional<ConfigValue> value = lookup(key, problems);
            if (value.isPresent()) {
                out = out.withValue(key, value.get());
            }
        }
        return out;
    }

    private Optional<ConfigValue> lookup(String key, List<ConfigProblem> problems) {
        String rule = EnvNames.of(key);
        String alias = aliasByKey.get(key);
        Optional<ConfigValue> fromEnv = fromLayer(key, rule, alias, env::get, name -> "env var " + name, envFiles,
                "env vars", problems);
        if (fromEnv.isPresent()) {
            return fromEnv;
        }
        String property = systemProperties.get(key);
        if (property != null) {
            return Optional.of(ConfigValueFactory.fromAnyRef(property, "system property " + key));
        }
        Function<String, String> dotEnvText = name -> dotEnv.containsKey(name) ? dotEnv.get(name).value() : null;
        return fromLayer(key, rule, alias, dotEnvText, name -> ".env: " + dotEnv.get(name).line() + " (" + name + ")",
                dotEnvFiles, ".env lines", problems);
    }

    /** {@return the key's value in one layer: from its variable, or from the file its _FILE variable names} */
    private Optional<ConfigValue> fromLayer(String key, String rule, String alias, Function<String, String> layer,
            Function<String, String> origin, SecretFiles files, String where, List<ConfigProblem> problems) {
        Optional<String> direct = variable(key, rule, alias, layer, where, problems);
        Optional<String> viaFile = variable(key, rule + SecretFiles.SUFFIX,
                alias == null ? null : alias + SecretFiles.SUFFIX, layer, where, problems);
        if (direct.isPresent() && viaFile.isPresent()) {
            problems.add(new ConfigProblem(key, direct.get(), where + " " + direct.get() + " and " + viaFile.get(),
                    "both " + direct.get() + " and " + viaFile.get() + " are set; set only one: " + viaFile.get()
                            + " to read the value from a file (a mounted secret), or " + direct.get() + " to the value"));
            return Optional.empty();
        }
        if (direct.isPresent()) {
            return Optional.of(ConfigValueFactory.fromAnyRef(layer.apply(direct.get()), origin.apply(direct.get())));
        }
        if (viaFile.isEmpty()) {
            return Optional.empty();
        }
        String fileVariable = viaFile.get();
        SecretFiles.Read read = files.get(fileVariable).orElseThrow();
        if (read.problem() != null) {
            problems.add(new ConfigProblem(key, fileVariable, origin.apply(fileVariable) + " = " + read.shownPath(),
                    read.problem()));
            return Optional.empty();
        }
        fileValuesUsed.add(read.value());
        return Optional.of(ConfigValueFactory.fromAnyRef(read.value(),
                FILE_ORIGIN + read.shownPath() + " (" + origin.apply(fileVariable) + ")"));
    }

    /** {@return the name that sets the key in one layer: the alias or the rule's name} */
    private static Optional<String> variable(String key, String rule, String alias, Function<String, String> layer,
            String where, List<ConfigProblem> problems) {
        String byRule = layer.apply(rule);
        String byAlias = alias == null ? null : layer.apply(alias);
        if (byRule != null && byAlias != null && !byRule.equals(byAlias)) {
            problems.add(new ConfigProblem(key, alias, where + " " + alias + " and " + rule,
                    "both " + alias + " and " + rule + " are set, to different values; set only one"));
            return Optional.empty();
        }
        if (byAlias != null) {
            return Optional.of(alias);
        }
        return byRule != null ? Optional.of(rule) : Optional.empty();
    }

    /** The JVM's and the JDK's own properties (file.encoding, user.home): never a misspelt key of the application's. */
    private static final Set<String> JVM_NAMESPACES = Set.of("java", "javax", "jdk", "sun", "com", "org", "file",
            "user", "os", "line", "path", "native", "stdout", "stderr", "jnu", "awt", "socksProxyHost", "https",
            "ftp", "networkaddress", "jaxp", "javafx");

    /** {@return warnings for variables that look like typos of names that set keys} */
    public List<String> typoWarnings(Collection<String> keys) {
        var known = new TreeSet<String>(aliases);
        for (String key : keys) {
            known.add(EnvNames.of(key));
        }
        for (String name : List.copyOf(known)) {
            known.add(name + SecretFiles.SUFFIX);
        }
        List<String> warnings = new ArrayList<>();
        for (String name : setNames()) {
            if (known.contains(name)) {
                continue;
            }
            Optional<String> candidate = EnvNames.closest(name, known);
            if (candidate.isPresent() && !isSet(candidate.get())) {
                warnings.add(name + " is set but sets nothing; did you mean " + candidate.get() + "?");
            }
        }
        // A system property under a block the configuration has (-Dorders.curency) is meant for it.
        var blocks = new TreeSet<String>();
        for (String key : keys) {
            blocks.add(key.contains(".") ? key.substring(0, key.indexOf('.')) : key);
        }
        for (String property : new TreeSet<>(systemProperties.keySet())) {
            int dot = property.indexOf('.');
            if (dot <= 0 || keys.contains(property) || !blocks.contains(property.substring(0, dot))
                    || JVM_NAMESPACES.contains(property.substring(0, dot))) {
                continue;
            }
            List<String> siblings = keys.stream().filter(key -> key.startsWith(property.substring(0, dot + 1))).toList();
            EnvNames.closest(property, siblings).ifPresent(candidate -> warnings.add("-D" + property
                    + " is set but sets nothing; did you mean -D" + candidate + "?"));
        }
        return warnings;
    }
}
