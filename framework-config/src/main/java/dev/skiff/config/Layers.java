package dev.skiff.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads and merges the configuration layers, later wins. */
final class Layers {

    /** Where applications declare their own environment aliases. */
    public static final String ALIASES_KEY = "skiff.env-aliases";

    /**
     * The merged configuration, the layers above the files, and the keys the files declare and the
     * aliases set (what a variable or system property may be a typo of, with the keys records read).
     */
    public record Loaded(Config config, Sources sources, Set<String> declaredKeys) {}

    private Layers() {}

    /**
     * Merges every reference.conf, application.conf, {@code .env}, system properties and
     * environment variables. The upper layers set the keys that the files declare and the aliased
     * keys here, and the keys of each record when it is bound.
     *
     * @throws dev.skiff.config.ConfigurationException with every problem found
     */
    public static Loaded load(ClassLoader loader, Map<String, String> env, Map<String, String> systemProperties,
            Path workingDirectory) {
        List<ConfigProblem> problems = new ArrayList<>();
        Config files = files(loader, problems);
        DotEnv.Result dotEnv = DotEnv.read(workingDirectory);
        problems.addAll(dotEnv.problems());

        Map<String, String> keyByAlias = new LinkedHashMap<>(EnvNames.ALIASES);
        keyByAlias.putAll(appAliases(files, problems));
        var sources = new Sources(env, systemProperties, dotEnv.values(), keyByAlias, workingDirectory);

        // Values and empty blocks may be set from above (LOG_LEVELS sets log.levels {}); a block
        // with keys is not, so that a variable named like it (LOG, SERVICE) cannot replace it.
        Set<String> paths = new TreeSet<>();
        paths(files.root(), "", paths);
        Set<String> keys = new TreeSet<>();
        for (String path : paths) {
            ConfigValue value = files.getValue(path);
            if (!(value instanceof ConfigObject object) || object.isEmpty()) {
                keys.add(path);
            }
        }
        keys.addAll(keyByAlias.values());
        Config merged = sources.overlay(files, keys, problems);
        try {
            merged = merged.resolve();
        } catch (ConfigException.UnresolvedSubstitution e) {
            problems.add(new ConfigProblem("", "", Origins.describe(e.origin()),
                    "a ${...} substitution names a key that is not set; set it or use ${?...} for an optional one"));
        }
        if (!problems.isEmpty()) {
            throw new dev.skiff.config.ConfigurationException(problems);
        }
        paths.addAll(keyByAlias.values());
        return new Loaded(merged, sources, Set.copyOf(paths));
    }

    /** Every path of the tree, blocks included: {@code log.levels {}} may be set by LOG_LEVELS. */
    private static void paths(ConfigObject object, String prefix, Set<String> out) {
        for (var entry : object.entrySet()) {
            String path = prefix + ConfigUtil.joinPath(entry.getKey());
            out.add(path);
            if (entry.getValue() instanceof ConfigObject child) {
                paths(child, path + ".", out);
            }
        }
    }

    private static Config files(ClassLoader loader, List<ConfigProblem> problems) {
        var options = ConfigParseOptions.defaults().setClassLoader(loader);
        Config reference = parse(loader, "reference", options, problems);
        Config application = parse(loader, "application", options, problems);
        return application.withFallback(reference);
    }

    private static Config parse(ClassLoader loader, String name, ConfigParseOptions options,
            List<ConfigProblem> problems) {
        try {
            return ConfigFactory.parseResourcesAnySyntax(loader, name, options);
        } catch (ConfigException e) {
            problems.add(new ConfigProblem("", "", Origins.describe(e.origin()),
                    "the file cannot be parsed: " + stripOrigin(e)));
            return ConfigFactory.empty();
        }
    }

    private static Map<String, String> appAliases(Config files, List<ConfigProblem> problems) {
        Map<String, String> aliases = new LinkedHashMap<>();
        if (!files.hasPath(ALIASES_KEY)) {
            return aliases;
        }
        ConfigValue block = files.getValue(ALIASES_KEY);
        if (block.valueType() != ConfigValueType.OBJECT) {
            problems.add(new ConfigProblem(ALIASES_KEY, "", Origins.describe(block.origin()),
                    "expected a block of NAME = key, such as { API_TOKEN = notes.api-token }"));
            return aliases;
        }
        for (var entry : files.getConfig(ALIASES_KEY).root().entrySet()) {
            String name = entry.getKey();
            String key = String.valueOf(entry.getValue().unwrapped());
            String builtIn = EnvNames.ALIASES.get(name);
            if (builtIn != null && !builtIn.equals(key)) {
                problems.add(new ConfigProblem(ALIASES_KEY + "." + name, "",
                        Origins.describe(entry.getValue().origin()),
                        name + " is Skiff's alias for " + builtIn + " and cannot also set " + key));
            } else if (!name.matches("[A-Z_][A-Z0-9_]*")) {
                problems.add(new ConfigProblem(ALIASES_KEY + "." + name, "",
                        Origins.describe(entry.getValue().origin()),
                        "an alias is an environment variable name: upper-case letters, digits and _"));
            } else {
                aliases.put(name, key);
            }
        }
        return aliases;
    }

    private static String stripOrigin(ConfigException e) {
        String message = String.valueOf(e.getMessage());
        String prefix = e.origin() == null ? null : e.origin().description() + ": ";
        return prefix != null && message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }
}
