package dev.skiff.config.internal;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.skiff.config.ConfigException;
import dev.skiff.config.ConfigProblem;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Binds a configuration subtree to a record by reflection: the one place where Skiff reflects.
 *
 * <p>Problems are collected as data across the whole tree and thrown together at the end.
 */
public final class RecordBinder {

    private final Config config;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private RecordBinder(Config config) {
        this.config = config;
    }

    /** Binds {@code path} to {@code type}, throwing every problem at once. */
    public static <T extends Record> T bind(Config config, String path, Class<T> type) {
        var binder = new RecordBinder(config);
        T value = binder.record(path, type);
        if (!binder.problems.isEmpty()) {
            throw new ConfigException(binder.problems);
        }
        return value;
    }

    private <T> T record(String path, Class<T> type) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        int before = problems.size();
        for (int i = 0; i < components.length; i++) {
            RecordComponent component = components[i];
            types[i] = component.getType();
            String key = join(path, kebab(component.getName()));
            args[i] = value(key, component.getGenericType());
        }
        if (problems.size() > before) {
            return null;
        }
        try {
            Constructor<T> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException || cause instanceof NullPointerException) {
                problems.add(problem(path, String.valueOf(cause.getMessage())));
                return null;
            }
            throw new IllegalStateException("the constructor of " + type.getName() + " failed", cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName()
                    + ": configuration records need their canonical constructor", e);
        }
    }

    private Object value(String key, Type type) {
        Class<?> raw = rawType(type);
        if (raw == Optional.class) {
            if (!config.hasPath(key)) {
                return Optional.empty();
            }
            return Optional.ofNullable(value(key, typeArgument(type)));
        }
        if (raw.isRecord()) {
            return record(key, raw);
        }
        if (!config.hasPath(key)) {
            problems.add(new ConfigProblem(key, EnvNames.preferred(key), "not set",
                    "a value is required and none was given"));
            return null;
        }
        ConfigValue value = config.getValue(key);
        if (raw == List.class) {
            return list(key, value, typeArgument(type));
        }
        if (value.valueType() == ConfigValueType.OBJECT || value.valueType() == ConfigValueType.LIST) {
            problems.add(problem(key, "expected " + describe(raw) + ", got a " + value.valueType().name().toLowerCase(Locale.ROOT)));
            return null;
        }
        return scalar(key, value, String.valueOf(value.unwrapped()).trim(), raw);
    }

    private List<Object> list(String key, ConfigValue value, Type element) {
        List<String> items;
        if (value.valueType() == ConfigValueType.LIST) {
            items = config.getList(key).stream().map(v -> String.valueOf(v.unwrapped()).trim()).toList();
        } else {
            String text = String.valueOf(value.unwrapped());
            items = text.isBlank() ? List.of()
                    : Arrays.stream(text.split(",")).map(String::trim).toList();
        }
        List<Object> out = new ArrayList<>(items.size());
        for (String item : items) {
            out.add(scalar(key, value, item, rawType(element)));
        }
        return List.copyOf(out.stream().filter(o -> o != null).toList());
    }

    private Object scalar(String key, ConfigValue value, String text, Class<?> raw) {
        try {
            if (raw == String.class) {
                return text;
            }
            if (raw == int.class || raw == Integer.class) {
                return Integer.parseInt(text);
            }
            if (raw == long.class || raw == Long.class) {
                return Long.parseLong(text);
            }
            if (raw == double.class || raw == Double.class) {
                return Double.parseDouble(text);
            }
            if (raw == boolean.class || raw == Boolean.class) {
                return switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on" -> Boolean.TRUE;
                    case "false", "no", "off" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException();
                };
            }
            if (raw == Duration.class) {
                return duration(key, text);
            }
            if (raw == Path.class) {
                return Path.of(text);
            }
            if (raw == URI.class) {
                return new URI(text);
            }
            if (raw.isEnum()) {
                for (Object constant : raw.getEnumConstants()) {
                    if (((Enum<?>) constant).name().equalsIgnoreCase(text.replace('-', '_'))) {
                        return constant;
                    }
                }
                throw new IllegalArgumentException();
            }
        } catch (IllegalArgumentException | DateTimeParseException | URISyntaxException e) {
            problems.add(new ConfigProblem(key, EnvNames.preferred(key), value.origin().description(),
                    "expected " + describe(raw) + ", got \"" + text + "\""));
            return null;
        }
        throw new IllegalStateException("configuration records cannot hold a " + raw.getName()
                + " (at " + key + ")");
    }

    private Duration duration(String key, String text) {
        if (text.startsWith("P") || text.startsWith("p")) {
            return Duration.parse(text);
        }
        try {
            return config.withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(text)).getDuration(key);
        } catch (com.typesafe.config.ConfigException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private ConfigProblem problem(String key, String message) {
        String origin = config.hasPath(key) ? config.getValue(key).origin().description() : "not set";
        return new ConfigProblem(key, EnvNames.preferred(key), origin, message);
    }

    private static String describe(Class<?> raw) {
        if (raw == int.class || raw == Integer.class || raw == long.class || raw == Long.class) {
            return "a whole number";
        }
        if (raw == double.class || raw == Double.class) {
            return "a number";
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return "true or false";
        }
        if (raw == Duration.class) {
            return "a duration such as 250ms, 30s or 5m";
        }
        if (raw == URI.class) {
            return "a URI";
        }
        if (raw == Path.class) {
            return "a file path";
        }
        if (raw.isEnum()) {
            return "one of " + Arrays.stream(raw.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", "));
        }
        return "a " + raw.getSimpleName();
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

    private static Type typeArgument(Type type) {
        if (type instanceof ParameterizedType p) {
            return p.getActualTypeArguments()[0];
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
