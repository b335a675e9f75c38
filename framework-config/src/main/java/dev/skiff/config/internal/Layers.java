package dev.skiff.config.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import dev.skiff.config.ConfigProblem;
import java.util.List;
import java.util.Map;

/** Reads and merges the configuration layers, later wins. */
public final class Layers {

    private Layers() {}

    /**
     * Merges reference.conf files, application.conf, system properties and environment variables.
     *
     * <p>System properties and environment variables set the keys that the files declare, plus
     * the aliased twelve-factor keys, so the environment cannot inject unrelated keys.
     */
    public static Config load(ClassLoader loader, Map<String, String> env, Map<String, String> systemProperties) {
        Config files;
        try {
            Config reference = ConfigFactory.parseResourcesAnySyntax(loader, "reference",
                    ConfigParseOptions.defaults().setClassLoader(loader));
            Config application = ConfigFactory.parseResourcesAnySyntax(loader, "application",
                    ConfigParseOptions.defaults().setClassLoader(loader));
            files = application.withFallback(reference);
        } catch (ConfigException.Parse e) {
            String origin = e.origin() == null ? "a configuration file" : e.origin().description();
            throw new dev.skiff.config.ConfigException(List.of(new ConfigProblem(
                    "(file)", "(none)", origin,
                    "the file cannot be parsed: " + e.getMessage())));
        }

        Config merged = files;
        for (var entry : files.entrySet()) {
            String key = entry.getKey();
            String value = systemProperties.get(key);
            if (value != null) {
                merged = merged.withValue(key, ConfigValueFactory.fromAnyRef(value, "system property " + key));
            }
        }
        for (var entry : files.entrySet()) {
            String name = EnvNames.of(entry.getKey());
            String value = env.get(name);
            if (value != null) {
                merged = merged.withValue(entry.getKey(), ConfigValueFactory.fromAnyRef(value, "env var " + name));
            }
        }
        // The platform's own name wins: Heroku and Cloud Run route to PORT, whatever else is set.
        for (var alias : EnvNames.ALIASES.entrySet()) {
            String value = env.get(alias.getKey());
            if (value != null) {
                merged = merged.withValue(alias.getValue(),
                        ConfigValueFactory.fromAnyRef(value, "env var " + alias.getKey()));
            }
        }
        try {
            return merged.resolve();
        } catch (ConfigException.UnresolvedSubstitution e) {
            throw new dev.skiff.config.ConfigException(List.of(new ConfigProblem(
                    "(substitution)", "(none)", e.origin() == null ? "a configuration file" : e.origin().description(),
                    "a ${...} substitution names a key that is not set: " + e.getMessage())));
        }
    }
}
