package dev.skiff.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
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
 * Each sets a key by the one naming rule or by an alias.
 */
final class Sources {

    private final Map<String, String> env;
    private final Map<String, String> systemProperties;
    private final Map<String, DotEnv.Value> dotEnv;
    private final Map<String, String> aliasByKey;
    private final Set<String> aliases;

    Sources(Map<String, String> env, Map<String, String> systemProperties, Map<String, DotEnv.Value> dotEnv,
            Map<String, String> keyByAlias) {
        this.env = Map.copyOf(env);
        this.systemProperties = Map.copyOf(systemProperties);
        this.dotEnv = Map.copyOf(dotEnv);
        var byKey = new LinkedHashMap<String, String>();
        keyByAlias.forEach((alias, key) -> byKey.put(key, alias));
        this.aliasByKey = byKey;
        this.aliases = Set.copyOf(keyByAlias.keySet());
    }

    /** {@return the env var to name in a report for the key: its alias if it has one, else the rule's name} */
    public String envVarFor(String key) {
        return aliasByKey.getOrDefault(key, EnvNames.of(key));
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
     * such as {@code NOTES_API_TOKEN}, and the passwords in every variable's URLs} Known when the
     * configuration loads, before any record is bound, so nothing can print them first.
     */
    public Set<String> secretValues() {
        var values = new TreeSet<String>();
        var all = new LinkedHashMap<String, String>();
        dotEnv.forEach((name, value) -> all.put(name, value.value()));
        all.putAll(env);
        all.forEach((name, value) -> {
            if (SecretKeys.namesSecret(name) && SecretKeys.couldBeSecret(value.strip())) {
                values.add(value.strip());
            }
            values.addAll(UrlSecrets.of(value));
        });
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
        Optional<String> fromEnv = variable(key, rule, alias, env::get, "env vars", problems);
        if (fromEnv.isPresent()) {
            return Optional.of(ConfigValueFactory.fromAnyRef(env.get(fromEnv.get()), "env var " + fromEnv.get()));
        }
        String property = systemProperties.get(key);
        if (property != null) {
            return Optional.of(ConfigValueFactory.fromAnyRef(property, "system property " + key));
        }
        Function<String, String> dotEnvText = name -> dotEnv.containsKey(name) ? dotEnv.get(name).value() : null;
        return variable(key, rule, alias, dotEnvText, ".env lines", problems).map(name -> {
            DotEnv.Value value = dotEnv.get(name);
            return ConfigValueFactory.fromAnyRef(value.value(), ".env: " + value.line() + " (" + name + ")");
        });
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

    /** {@return warnings for variables that look like typos of names that set keys} */
    public List<String> typoWarnings(Collection<String> keys) {
        var known = new TreeSet<String>(aliases);
        keys.forEach(key -> known.add(EnvNames.of(key)));
        List<String> warnings = new ArrayList<>();
        for (String name : setNames()) {
            if (known.contains(name)) {
                continue;
            }
            EnvNames.closest(name, known).filter(candidate -> !isSet(candidate)).ifPresent(candidate ->
                    warnings.add(name + " is set but sets nothing; did you mean " + candidate + "?"));
        }
        return warnings;
    }
}
