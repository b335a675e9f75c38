package dev.skiff.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Binds a configuration subtree to a record by reflection: the one place where Skiff reflects (the
 * record is then made by {@link RecordConstructors}).
 *
 * <p>Problems are collected as data across the whole tree and thrown together at the end. A
 * value bound to a {@link Secret}, or under a key that looks secret, never appears in a problem.
 *
 * <p>Somewhat over 300 lines, on purpose: the walk over a record's components (records, lists,
 * maps, optionals) and the problems it raises share the state of one bind, and the one place Skiff
 * reflects should be read in one piece. Converting a single value is {@link Scalars}.
 */
final class RecordBinder {


    private static final int MAX_DEPTH = 8;

    private final Sources sources;
    private final boolean deferSecrets;
    private final List<ConfigProblem> problems = new ArrayList<>();
    /** Secrets not given, left for the processes that read them (with {@code deferSecrets}). */
    private final List<ConfigProblem> deferred = new ArrayList<>();
    private final Set<String> secretKeys = new LinkedHashSet<>();
    private final Set<String> secretTexts = new LinkedHashSet<>();
    private Config config;

    private RecordBinder(Config config, Sources sources, boolean deferSecrets) {
        this.config = config;
        this.sources = sources;
        this.deferSecrets = deferSecrets;
    }

    /**
     * A bound record, the values it holds as {@link Secret}s for the redactor (those that
     * converted, even when another value did not), the problems, and the secrets left unset for
     * the processes that read them. With problems, the record is a stand-in (each value that had
     * a problem replaced by an empty one, so that setup can go on and find the next problem), or
     * null when its own checks refused the stand-ins.
     */
    record Bound<T>(T value, Set<String> secrets, List<ConfigProblem> problems, List<ConfigProblem> deferred,
                    List<ConfigEntry> notInFiles) {}

    /**
     * Binds {@code path} to {@code type}, collecting every problem. Reads {@code config} and the
     * upper layers in {@code sources} (for keys no file declares) and changes neither. With
     * {@code deferSecrets}, a {@link Secret} that is not set is no problem: the record holds one
     * that throws when read.
     */
    static <T extends Record> Bound<T> bind(Config config, Sources sources, String path, Class<T> type,
            boolean deferSecrets) {
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record; configuration binds to records");
        }
        var binder = new RecordBinder(config, sources, deferSecrets);
        var keys = new ArrayList<String>();
        leafKeys(path, type, keys, 0);
        binder.config = sources.overlay(config, keys, binder.problems);
        T value = binder.record(path, type);
        return new Bound<>(value, Set.copyOf(binder.secretTexts), List.copyOf(binder.problems),
                List.copyOf(binder.deferred), binder.notInFiles(config, keys));
    }

    /**
     * The keys the record reads that no file declares: set by a variable (or its {@code _FILE}),
     * or not set at all; for {@code config}, which lists every key a record binds. Values are
     * masked as secrets when bound as one, read from a file, or under a key that looks secret.
     */
    private List<ConfigEntry> notInFiles(Config files, List<String> keys) {
        var entries = new ArrayList<ConfigEntry>();
        for (String key : keys) {
            if (files.hasPath(key)) {
                continue;
            }
            if (!config.hasPath(key)) {
                entries.add(new ConfigEntry(key, "(not set)", "not set; " + sources.envVarFor(key) + " sets it"));
                continue;
            }
            ConfigValue value = config.getValue(key);
            String text = String.valueOf(value.unwrapped());
            String shown = secretKeys.contains(key) || Sources.fromFile(value) ? Secret.MASK
                    : SecretKeys.display(key, text);
            entries.add(new ConfigEntry(key, shown, Origins.describe(value.origin())));
        }
        return List.copyOf(entries);
    }

    /** Lists the keys a record reads, so the upper layers can set keys no file declares. */
    private static void leafKeys(String path, Type type, List<String> keys, int depth) {
        Class<?> raw = rawType(type);
        if (depth > MAX_DEPTH) {
            return; // a record that holds itself, optionally: deeper keys come from files only
        }
        if (raw == Optional.class) {
            leafKeys(path, typeArgument(type, 0), keys, depth);
        } else if (raw.isRecord() && !Scalars.TYPES.contains(raw)) {
            for (RecordComponent component : raw.getRecordComponents()) {
                leafKeys(join(path, kebab(component.getName())), component.getGenericType(), keys, depth + 1);
            }
        } else {
            keys.add(path);
        }
    }

    private <T> T record(String path, Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        int before = problems.size();
        Set<String> names = new LinkedHashSet<>();
        Set<String> failed = new LinkedHashSet<>();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            String name = kebab(component.getName());
            names.add(name);
            int problemsBefore = problems.size();
            args[i] = value(join(path, name), component.getGenericType());
            if (problems.size() > problemsBefore || args[i] == null) {
                failed.add(name);
                args[i] = args[i] == null ? standIn(join(path, name), component.getType()) : args[i];
            }
        }
        unknownKeys(path, names);
        boolean standIns = problems.size() > before;
        try {
            return RecordConstructors.construct(type, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof ConfigurationException read && deferred.removeAll(read.problems())) {
                // The record's own check reads a secret that is not set: every process needs it.
                for (ConfigProblem problem : read.problems()) {
                    problems.add(new ConfigProblem(problem.key(), problem.envVar(), problem.origin(),
                            "a value is required and none was given (" + type.getSimpleName()
                                    + "'s own check reads it, so every process needs it)"));
                }
            } else if (cause instanceof IllegalArgumentException && (!standIns
                    || failed.stream().noneMatch(name -> startsWithComponent(cause.getMessage(), name, components)))) {
                // The record's own check, reported beside the other problems: unless it is about a
                // value that has a problem already, and so saw only its stand-in. Run on stand-ins,
                // it may be about one of them: said, so that the value named is not blamed alone.
                String message = String.valueOf(cause.getMessage());
                List<String> named = failed.stream().filter(name -> mentions(message, name, components)).toList();
                problems.add(blockProblem(path, components, named.isEmpty() ? message : message + " (checked while "
                        + String.join(", ", named) + " had no valid value: this may pass once "
                        + (named.size() == 1 ? "it is" : "they are") + " fixed)"));
            } else if (cause instanceof NullPointerException && !standIns) {
                problems.add(blockProblem(path, components, String.valueOf(cause.getMessage())));
            } else if (!standIns && !(cause instanceof IllegalArgumentException)) {
                throw new IllegalStateException("the constructor of " + type.getName() + " failed", cause);
            }
            return null;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName()
                    + ": configuration records need their canonical constructor", e);
        }
    }

    /** {@return whether the message names the component, as its key ({@code max-items}) or its Java name} */
    private static boolean mentions(String message, String kebab, RecordComponent[] components) {
        for (RecordComponent component : components) {
            if (kebab(component.getName()).equals(kebab)) {
                return java.util.regex.Pattern.compile("\\b(" + java.util.regex.Pattern.quote(kebab) + "|"
                        + java.util.regex.Pattern.quote(component.getName()) + ")\\b").matcher(message).find();
            }
        }
        return false;
    }

    private static boolean startsWithComponent(String message, String kebab, RecordComponent[] components) {
        if (message == null) {
            return false;
        }
        for (RecordComponent component : components) {
            if (kebab(component.getName()).equals(kebab)) {
                return message.startsWith(kebab + " ") || message.startsWith(component.getName() + " ");
            }
        }
        return false;
    }

    /**
     * What a value that has a problem is replaced by, so that the record's own checks still run
     * and setup can go on to find the next problem: empty, zero, or null.
     */
    private Object standIn(String key, Class<?> raw) {
        if (raw == Secret.class) {
            return Secret.missing(new ConfigProblem(key, sources.envVarFor(key), "not set",
                    "a value is required and none was given"));
        }
        if (raw == Optional.class) {
            return Optional.empty();
        }
        if (raw == List.class) {
            return List.of();
        }
        if (raw == Map.class) {
            return Map.of();
        }
        if (raw == String.class) {
            return "";
        }
        if (raw == java.time.Duration.class) {
            // A positive one: an interval or timeout handed to app.every or a client would refuse zero.
            return java.time.Duration.ofSeconds(1);
        }
        if (raw == boolean.class) {
            return false;
        }
        if (raw == char.class) {
            return '\0';
        }
        if (raw.isPrimitive()) {
            return switch (raw.getName()) {
                case "byte" -> (byte) 0;
                case "short" -> (short) 0;
                case "int" -> 0;
                case "long" -> 0L;
                case "float" -> 0f;
                default -> 0d;
            };
        }
        return null;
    }

    /** A key the application set under a record that no component reads is a typo until shown otherwise. */
    private void unknownKeys(String path, Set<String> names) {
        if (path.isEmpty() || !config.hasPath(path) || config.getValue(path).valueType() != ConfigValueType.OBJECT) {
            return;
        }
        for (var entry : config.getConfig(path).root().entrySet()) {
            String name = entry.getKey();
            String origin = Origins.describe(entry.getValue().origin());
            if (names.contains(name) || origin.startsWith("default (")) {
                continue;
            }
            String hint = EnvNames.closest(name, names).map(n -> "; did you mean " + join(path, n) + " ("
                            + sources.envVarFor(join(path, n)) + ")?")
                    .orElse("; the keys here are " + String.join(", ", names));
            problems.add(new ConfigProblem(join(path, name), EnvNames.of(join(path, name)), origin,
                    ConfigProblem.UNREAD + hint));
        }
    }

    private Object value(String key, Type type) {
        Class<?> raw = rawType(type);
        if (raw == Optional.class) {
            if (!config.hasPath(key)) {
                return Optional.empty();
            }
            return Optional.ofNullable(value(key, typeArgument(type, 0)));
        }
        if (raw.isRecord() && !Scalars.TYPES.contains(raw)) {
            return record(key, raw);
        }
        if (raw == Secret.class || SecretKeys.looksSecret(key)) {
            secretKeys.add(key);
        }
        if (!config.hasPath(key)) {
            ConfigProblem missing = missing(key);
            if (deferSecrets && raw == Secret.class) {
                deferred.add(missing);
                return Secret.missing(missing);
            }
            problems.add(missing);
            return null;
        }
        ConfigValue value = config.getValue(key);
        if (Sources.fromFile(value)) {
            // Every value read from a file is a secret, whatever its key: hidden in reports, redacted.
            secretKeys.add(key);
            String text = String.valueOf(value.unwrapped());
            if (SecretKeys.couldBeSecret(text.strip())) {
                secretTexts.add(text);
                secretTexts.add(text.strip());
            }
        }
        if (raw == List.class) {
            return list(key, value, typeArgument(type, 0));
        }
        if (raw == Map.class) {
            return map(key, value, type);
        }
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            problems.add(problem(key, "expected " + Scalars.describe(raw) + ", got a "
                    + (value.valueType() == ConfigValueType.OBJECT ? "block of keys" : "list")));
            return null;
        }
        return scalar(key, value, text(value), raw);
    }

    private ConfigProblem missing(String key) {
        String envVar = sources.envVarFor(key);
        String message = "a value is required and none was given";
        Optional<String> typo = EnvNames.closest(envVar, sources.setNames());
        if (typo.isPresent()) {
            message += "; " + typo.get() + " is set: did you mean " + envVar + "?";
        }
        return new ConfigProblem(key, envVar, "not set", message);
    }

    /** A list in a variable written as a JSON array of quoted items, {@code ["a,b", "c"]}; {@code [0-9]} is not one. */
    private static final java.util.regex.Pattern JSON_ARRAY = java.util.regex.Pattern.compile("(?s)\\s*\\[\\s*(\".*)?]\\s*");

    private List<Object> list(String key, ConfigValue value, Type element) {
        Class<?> raw = rawType(element);
        Scalars.require(raw, key);
        List<ConfigValue> items = new ArrayList<>();
        if (value.valueType() == ConfigValueType.LIST) {
            items.addAll(config.getList(key));
        } else if (value.valueType() == ConfigValueType.OBJECT) {
            problems.add(problem(key, "expected a list, got a block of keys"));
            return null;
        } else {
            String text = text(value);
            if (JSON_ARRAY.matcher(text).matches()) {
                // A JSON (HOCON) array, for items that hold commas: LOG_REDACT=["\\d{2,4}"].
                try {
                    // Strict JSON: no substitutions, no unquoted or concatenated items, nothing after the array.
                    var parsed = com.typesafe.config.ConfigFactory.parseString("{\"list\": " + text.strip() + "}",
                            com.typesafe.config.ConfigParseOptions.defaults()
                                    .setSyntax(com.typesafe.config.ConfigSyntax.JSON)
                                    .setOriginDescription(value.origin().description()));
                    if (parsed.root().size() != 1) {
                        throw new com.typesafe.config.ConfigException.BadValue("list", "more than the array");
                    }
                    for (ConfigValue item : parsed.getList("list")) {
                        if (item.valueType() != ConfigValueType.STRING) {
                            throw new com.typesafe.config.ConfigException.BadValue("list", "an item that is not a string");
                        }
                        items.add(item);
                    }
                } catch (com.typesafe.config.ConfigException e) {
                    problems.add(problem(key, "a list in brackets must be a JSON array of quoted items, such as"
                            + " [\"a,b\", \"c\"]"));
                    return null;
                }
            } else if (!text.isBlank()) {
                for (String item : text.split(",", -1)) {
                    items.add(com.typesafe.config.ConfigValueFactory.fromAnyRef(item.strip(),
                            value.origin().description()));
                }
            }
        }
        List<Object> out = new ArrayList<>(items.size());
        int before = problems.size();
        for (ConfigValue item : items) {
            if (item.valueType() == ConfigValueType.OBJECT || item.valueType() == ConfigValueType.LIST) {
                problems.add(problem(key, "expected a list of " + Scalars.describe(raw) + ", found a nested "
                        + item.valueType().name().toLowerCase(Locale.ROOT)));
                continue;
            }
            out.add(scalar(key, item, text(item), raw));
        }
        return problems.size() > before ? null : List.copyOf(out);
    }

    private Map<String, Object> map(String key, ConfigValue value, Type type) {
        if (rawType(typeArgument(type, 0)) != String.class) {
            throw new IllegalStateException("configuration maps have String keys (at " + key + ")");
        }
        Class<?> raw = rawType(typeArgument(type, 1));
        Scalars.require(raw, key);
        Map<String, Object> out = new LinkedHashMap<>();
        int before = problems.size();
        if (value.valueType() == ConfigValueType.OBJECT) {
            for (var entry : config.getConfig(key).root().entrySet()) {
                ConfigValue item = entry.getValue();
                if (item.valueType() == ConfigValueType.OBJECT || item.valueType() == ConfigValueType.LIST) {
                    problems.add(problem(key + "." + entry.getKey(), "expected " + Scalars.describe(raw) + ", got a "
                            + item.valueType().name().toLowerCase(Locale.ROOT)));
                    continue;
                }
                out.put(entry.getKey(), scalar(key + "." + entry.getKey(), item, text(item), raw));
            }
        } else if (value.valueType() == ConfigValueType.LIST) {
            problems.add(problem(key, "expected name=value pairs, got a list"));
        } else {
            String text = text(value);
            for (String pair : text.isBlank() ? new String[0] : text.split(",", -1)) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    problems.add(problem(key, "expected name=value pairs separated by commas, such as a=1,b=2"));
                    continue;
                }
                String name = pair.substring(0, equals).strip();
                out.put(name, scalar(key + "." + name, value, pair.substring(equals + 1).strip(), raw));
            }
        }
        return problems.size() > before ? null : Map.copyOf(out);
    }

    private Object scalar(String key, ConfigValue value, String text, Class<?> raw) {
        Scalars.require(raw, key);
        try {
            Object converted = Scalars.convert(text, raw);
            if (raw == Secret.class) {
                secretTexts.add(text);
            }
            return converted;
        } catch (Scalars.OutOfRange e) {
            problems.add(problem(key, value, text, "expected " + Scalars.describe(raw) + " " + e.getMessage()));
        } catch (IllegalArgumentException | DateTimeParseException | URISyntaxException | ArithmeticException e) {
            String expected = "expected " + Scalars.describe(raw);
            if (raw.isEnum()) {
                expected += EnvNames.closest(text, Scalars.names(raw))
                        .map(n -> " (did you mean " + n + "?)").orElse("");
            }
            problems.add(problem(key, value, text, expected));
        }
        return null;
    }

    private ConfigProblem problem(String key, ConfigValue value, String text, String expected) {
        boolean secret = secretKeys.contains(key) || SecretKeys.looksSecret(key) || !UrlSecrets.of(text).isEmpty();
        String got = secret ? "a value that is not shown because it is secret" : "\"" + printable(text) + "\"";
        return new ConfigProblem(key, sources.envVarFor(key), Origins.describe(value.origin()), expected + ", got " + got);
    }

    /**
     * A rule of the record: on the one key whose name the message starts with ("greeting must not
     * be blank"), else on the block, naming the origins and variables of all its values.
     */
    private ConfigProblem blockProblem(String path, RecordComponent[] components, String message) {
        for (RecordComponent component : components) {
            String kebab = kebab(component.getName());
            if (message.startsWith(kebab + " ") || message.startsWith(component.getName() + " ")) {
                return problem(join(path, kebab), message);
            }
        }
        Set<String> origins = new LinkedHashSet<>();
        List<String> envVars = new ArrayList<>();
        for (RecordComponent component : components) {
            String key = join(path, kebab(component.getName()));
            if (config.hasPath(key)) {
                origins.add(Origins.describe(config.getValue(key).origin()));
            }
            Class<?> raw = component.getType();
            if (!raw.isRecord() || Scalars.TYPES.contains(raw)) {
                envVars.add(sources.envVarFor(key));
            }
        }
        return new ConfigProblem(path, String.join(", ", envVars),
                origins.isEmpty() ? "not set" : String.join(", ", origins), message);
    }

    private ConfigProblem problem(String key, String message) {
        String origin = config.hasPath(key) ? Origins.describe(config.getValue(key).origin()) : "not set";
        return new ConfigProblem(key, sources.envVarFor(key), origin, message);
    }

    /** Keeps a report on one line per value and of a readable length. */
    private static String printable(String text) {
        String shown = text.length() > 80 ? text.substring(0, 77) + "..." : text;
        var out = new StringBuilder(shown.length());
        shown.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static String text(ConfigValue value) {
        return String.valueOf(value.unwrapped()).strip();
    }

    private static Class<?> rawType(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalStateException("unsupported configuration type " + type);
    }

    private static Type typeArgument(Type type, int index) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[index];
        }
        throw new IllegalStateException("a raw " + type + " needs a type argument");
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** {@code maxBodySize} becomes {@code max-body-size}. */
    static String kebab(String camel) {
        var out = new StringBuilder(camel.length() + 4);
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    out.append('-');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
