package dev.skiff.http.internal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import dev.skiff.config.Secret;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JSON of the values services answer with most — maps, lists, records, text, numbers, booleans,
 * {@code Optional}, enums, {@code Instant}, {@code LocalDate}, {@code Duration}, UUIDs, secrets —
 * written with jackson-core alone, byte for byte as Skiff's default mapper ({@link Json#newMapper})
 * writes them: a service whose answers are such values never loads jackson-databind (about 500
 * classes; 0.3–0.4 s of one core at startup, and their memory).
 *
 * <p>Anything this writer is not sure to write as the mapper would is left to the mapper:
 * {@link #write} returns {@code null} for a value holding a class of the application's that is not a
 * record, any annotation on a record or enum or on their interfaces (Jackson's or another), a method
 * a mapper would take for a property ({@code getX()}, {@code isX()}) beyond a record's components,
 * a supertype of the JDK's other than {@code Serializable}, {@code Comparable} and {@code Cloneable}
 * or any of Jackson's, a map key that is not text, a collection or map class that is not the JDK's,
 * an array of a primitive type, or a value a record accessor failed to give. A value given up on
 * part-way is written again by the mapper, its record accessors called again (a record class that
 * led to that once goes to the mapper straight from then on). PlainJsonTest holds the two writers
 * to the same bytes.
 */
final class PlainJson {

    /** As the default mapper's factory: the same generator, so the same escapes and numbers. */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.newBoundedPool(16))
            .build();

    /** The JDK supertypes a plain record or enum may have: none adds a property for the mapper. */
    private static final Set<Class<?>> PLAIN_JDK_SUPERTYPES = Set.of(Object.class, Record.class, Enum.class,
            java.io.Serializable.class, Comparable.class, Cloneable.class);

    private static final ClassValue<Kind> KINDS = new ClassValue<>() {
        @Override
        protected Kind computeValue(Class<?> type) {
            return kindOf(type);
        }
    };

    /** A value this writer leaves to the mapper; made once, without a stack. */
    private static final class NotPlain extends Exception {
        private static final long serialVersionUID = 1L;
        private static final NotPlain INSTANCE = new NotPlain();

        private NotPlain() {
            super(null, null, false, false);
        }
    }

    private PlainJson() {}

    /** {@return the value as compact JSON in UTF-8, or {@code null} when the mapper is to write it} */
    static byte[] write(Object value) {
        Kind top = value == null ? null : KINDS.get(value.getClass());
        if (top instanceof RecordValue record && record.leftToMapper().get()) {
            return null;
        }
        BufferRecycler recycler = FACTORY._getBufferRecycler();
        ByteArrayBuilder bytes = new ByteArrayBuilder(recycler);
        try {
            try (JsonGenerator out = FACTORY.createGenerator(bytes, JsonEncoding.UTF8)) {
                write(out, value);
            }
            return bytes.getClearAndRelease();
        } catch (NotPlain | IOException e) {
            // IOException: a constraint of the generator (a value nested too deep, a cycle): the
            // mapper meets it too and says so in its own words. A record whose value led here once
            // (a component of type Object holding a class with getters, say) goes to the mapper
            // from now on: its accessors are not called twice for every answer.
            if (top instanceof RecordValue record) {
                record.leftToMapper().set(true);
            }
            bytes.release();
            return null;
        } finally {
            recycler.releaseToPool();
        }
    }

    private static void write(JsonGenerator out, Object value) throws IOException, NotPlain {
        if (value == null) {
            out.writeNull();
            return;
        }
        Kind kind = KINDS.get(value.getClass());
        if (kind instanceof RecordValue record) {
            writeRecord(out, value, record);
            return;
        }
        // A switch over the enum, not over Kind with the enum's constants as labels: that one is
        // bootstrapped at its first run, some 20-45 ms of method handles on one core, at a
        // service's first answer.
        switch ((Plain) kind) {
            case TEXT -> out.writeString(value.toString());
            case BOOL -> out.writeBoolean((Boolean) value);
            case WHOLE_NUMBER -> out.writeNumber(((Number) value).longValue());
            case DOUBLE -> out.writeNumber((Double) value);
            case FLOAT -> out.writeNumber((Float) value);
            case DECIMAL -> out.writeNumber((BigDecimal) value);
            case BIG_WHOLE -> out.writeNumber((BigInteger) value);
            case ENUM_NAME -> out.writeString(((Enum<?>) value).name());
            case OPTIONAL -> write(out, ((Optional<?>) value).orElse(null));
            case JDK_MAP -> writeMap(out, (Map<?, ?>) value);
            case JDK_COLLECTION -> {
                out.writeStartArray(value);
                for (Object element : (Collection<?>) value) {
                    write(out, element);
                }
                out.writeEndArray();
            }
            case OBJECT_ARRAY -> {
                Object[] elements = (Object[]) value;
                out.writeStartArray(value, elements.length);
                for (Object element : elements) {
                    write(out, element);
                }
                out.writeEndArray();
            }
            case NOT_PLAIN -> throw NotPlain.INSTANCE;
        }
    }

    private static void writeMap(JsonGenerator out, Map<?, ?> map) throws IOException, NotPlain {
        out.writeStartObject(map);
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw NotPlain.INSTANCE;
            }
            Object value = entry.getValue();
            // The mapper leaves out null values, in maps too (NON_NULL for content); an empty
            // Optional it writes as null.
            if (value == null) {
                continue;
            }
            out.writeFieldName(key);
            write(out, value);
        }
        out.writeEndObject();
    }

    private static void writeRecord(JsonGenerator out, Object record, RecordValue kind)
            throws IOException, NotPlain {
        out.writeStartObject(record);
        for (int i = 0; i < kind.accessors().length; i++) {
            Object value;
            try {
                value = (Object) kind.accessors()[i].invokeExact(record);
            } catch (Error e) {
                throw e;
            } catch (Throwable e) {
                throw NotPlain.INSTANCE;
            }
            if (value == null) {
                continue;
            }
            out.writeFieldName(kind.names()[i]);
            write(out, value);
        }
        out.writeEndObject();
    }

    /** How a class is written: as one of the plain kinds, or as a record of its components. */
    private sealed interface Kind permits Plain, RecordValue {}

    private enum Plain implements Kind {
        TEXT, BOOL, WHOLE_NUMBER, DOUBLE, FLOAT, DECIMAL, BIG_WHOLE, ENUM_NAME, OPTIONAL, JDK_MAP, JDK_COLLECTION,
        OBJECT_ARRAY, NOT_PLAIN
    }

    private record RecordValue(SerializableString[] names, MethodHandle[] accessors, AtomicBoolean leftToMapper)
            implements Kind {}

    private static Kind kindOf(Class<?> type) {
        if (type == String.class || type == UUID.class || type == Secret.class
                || type == Instant.class || type == LocalDate.class || type == Duration.class) {
            // Each as its toString(): the mapper's ISO-8601 text for the three java.time types
            // (their serializers format with the ISO formatters toString() uses), the mask of a Secret.
            return Plain.TEXT;
        }
        if (type == Boolean.class) {
            return Plain.BOOL;
        }
        if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class) {
            return Plain.WHOLE_NUMBER;
        }
        if (type == Double.class) {
            return Plain.DOUBLE;
        }
        if (type == Float.class) {
            return Plain.FLOAT;
        }
        if (type == BigDecimal.class) {
            return Plain.DECIMAL;
        }
        if (type == BigInteger.class) {
            return Plain.BIG_WHOLE;
        }
        if (type == Optional.class) {
            return Plain.OPTIONAL;
        }
        boolean jdk = type.getClassLoader() == null && type.getName().startsWith("java.");
        if (jdk && Map.class.isAssignableFrom(type)) {
            return Plain.JDK_MAP;
        }
        if (jdk && Collection.class.isAssignableFrom(type)) {
            return Plain.JDK_COLLECTION;
        }
        if (type.isArray()) {
            return type.getComponentType().isPrimitive() ? Plain.NOT_PLAIN : Plain.OBJECT_ARRAY;
        }
        if (jdk) {
            return Plain.NOT_PLAIN;
        }
        Class<?> enumType = type.isEnum() ? type
                : type.getSuperclass() != null && type.getSuperclass().isEnum() ? type.getSuperclass() : null;
        if (enumType != null) {
            // A constant with a body is a subclass of its enum.
            return plainDeclarations(enumType, Set.of()) && plainDeclarations(type, Set.of())
                    ? Plain.ENUM_NAME : Plain.NOT_PLAIN;
        }
        if (type.isRecord()) {
            return recordKind(type);
        }
        return Plain.NOT_PLAIN;
    }

    private static Kind recordKind(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        Set<String> accessorNames = new HashSet<>();
        SerializableString[] names = new SerializableString[components.length];
        MethodHandle[] accessors = new MethodHandle[components.length];
        for (int i = 0; i < components.length; i++) {
            Method accessor = components[i].getAccessor();
            accessorNames.add(accessor.getName());
            names[i] = new SerializedString(components[i].getName());
            try {
                if (!accessor.trySetAccessible()) {
                    return Plain.NOT_PLAIN;
                }
                accessors[i] = MethodHandles.lookup().unreflect(accessor)
                        .asType(MethodType.methodType(Object.class, Object.class));
            } catch (IllegalAccessException e) {
                return Plain.NOT_PLAIN;
            }
        }
        return plainDeclarations(type, accessorNames)
                ? new RecordValue(names, accessors, new AtomicBoolean()) : Plain.NOT_PLAIN;
    }

    /**
     * {@return whether a class and its supertypes declare nothing a mapper reads:} no annotation on
     * the class, its fields, methods, constructors, their parameters or its record components, no
     * public instance method named like a getter but the record's accessors, no supertype of
     * Jackson's ({@code JsonSerializable} writes itself) and no JDK supertype but
     * {@link #PLAIN_JDK_SUPERTYPES} (a {@code CharSequence}'s {@code isEmpty()}, a
     * {@code Map.Entry}'s key and value are written by the mapper)
     */
    private static boolean plainDeclarations(Class<?> type, Set<String> accessorNames) {
        Deque<Class<?>> types = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        types.add(type);
        while (!types.isEmpty()) {
            Class<?> next = types.poll();
            if (!seen.add(next)) {
                continue;
            }
            if (next.getClassLoader() == null) {
                if (PLAIN_JDK_SUPERTYPES.contains(next)) {
                    continue;
                }
                return false;
            }
            if (next.getName().startsWith("com.fasterxml.jackson.")) {
                return false;
            }
            if (annotated(next) || annotated(next.getDeclaredFields()) || annotated(next.getDeclaredConstructors())) {
                return false;
            }
            for (Method method : next.getDeclaredMethods()) {
                if (annotated(method) || annotated(method.getParameters())) {
                    return false;
                }
                if (Modifier.isPublic(method.getModifiers()) && !Modifier.isStatic(method.getModifiers())
                        && method.getParameterCount() == 0 && !accessorNames.contains(method.getName())
                        && (method.getName().startsWith("get") || method.getName().startsWith("is"))) {
                    return false;
                }
            }
            if (next.isRecord() && annotated(next.getRecordComponents())) {
                return false;
            }
            if (next.getSuperclass() != null) {
                types.add(next.getSuperclass());
            }
            types.addAll(java.util.List.of(next.getInterfaces()));
        }
        return true;
    }

    private static boolean annotated(AnnotatedElement... elements) {
        for (AnnotatedElement element : elements) {
            if (element.getDeclaredAnnotations().length > 0) {
                return true;
            }
            if (element instanceof Constructor<?> constructor && annotated(constructor.getParameters())) {
                return true;
            }
        }
        return false;
    }
}
