package dev.skiff.config;

import dev.skiff.config.internal.Constructors;
import dev.skiff.config.internal.Constructors.Make0;
import dev.skiff.config.internal.Constructors.Make1;
import dev.skiff.config.internal.Constructors.Make10;
import dev.skiff.config.internal.Constructors.Make11;
import dev.skiff.config.internal.Constructors.Make12;
import dev.skiff.config.internal.Constructors.Make13;
import dev.skiff.config.internal.Constructors.Make14;
import dev.skiff.config.internal.Constructors.Make15;
import dev.skiff.config.internal.Constructors.Make16;
import dev.skiff.config.internal.Constructors.Make2;
import dev.skiff.config.internal.Constructors.Make3;
import dev.skiff.config.internal.Constructors.Make4;
import dev.skiff.config.internal.Constructors.Make5;
import dev.skiff.config.internal.Constructors.Make6;
import dev.skiff.config.internal.Constructors.Make7;
import dev.skiff.config.internal.Constructors.Make8;
import dev.skiff.config.internal.Constructors.Make9;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Calls a record's canonical constructor with the values a bind read.
 *
 * <p>Why not {@link Constructor#newInstance} alone: the JDK's reflection adapts each constructor of
 * more than three parameters with method-handle combinators whose classes it generates at run
 * time, about a dozen milliseconds per record class on one core before the JIT compiler has run,
 * and a service binds ten records before its first request. A record class of Skiff's own class
 * loader gets instead, once, one small class from {@link LambdaMetafactory}, as a lambda does: a
 * quarter of that time. Records of another class loader or module (which cannot grant Skiff's code
 * the access that needs), and records of over 16 components, are made by reflection, as before. The
 * framework's own settings records skip both: their constructors are registered as references
 * ({@link Constructors}), which the JDK's AOT cache links ahead of time.
 */
final class RecordConstructors {

    /** Stands for "made by reflection" in {@link #FUNCTIONS}, which holds no null. */
    private static final Object REFLECTION = new Object();

    /**
     * The function making each record class, or {@link #REFLECTION}. Asked only for the classes of
     * Skiff's own class loader: a value held for a class of a parent loader would keep Skiff's
     * loader, and every class of it, for as long as that class lives.
     */
    private static final ClassValue<Object> FUNCTIONS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            return function(type);
        }
    };

    private RecordConstructors() {}

    /**
     * Calls the canonical constructor of {@code type} with {@code args}.
     *
     * @throws InvocationTargetException what the constructor threw (its own checks), wrapped
     * @throws ReflectiveOperationException if the record has no canonical constructor Skiff can call
     */
    static <T> T construct(Class<T> type, Object[] args) throws ReflectiveOperationException {
        Object registered = Constructors.registered(type);
        Object function = registered != null ? registered : functionFor(type);
        if (function == REFLECTION) {
            Constructor<T> constructor = type.getDeclaredConstructor(components(type));
            constructor.setAccessible(true);
            return constructor.newInstance(args);
        }
        try {
            return type.cast(call(function, args));
        } catch (Throwable e) {
            throw new InvocationTargetException(e); // the constructor's own check, as reflection reports it
        }
    }

    /** {@return whether records of this class are made without reflection} For the tests. */
    static boolean madeDirectly(Class<?> type) {
        return functionFor(type) != REFLECTION;
    }

    /** {@return the function making records of this class, or {@link #REFLECTION}} */
    private static Object functionFor(Class<?> type) {
        return type.getClassLoader() == RecordConstructors.class.getClassLoader() ? FUNCTIONS.get(type) : REFLECTION;
    }

    private static Class<?>[] components(Class<?> type) {
        var components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = components[i].getType();
        }
        return types;
    }

    private static Object function(Class<?> type) {
        Class<?>[] types = components(type);
        MethodHandles.Lookup lookup;
        try {
            lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
        } catch (IllegalAccessException e) {
            return REFLECTION; // a module that does not open the record's package: reflection says why
        }
        if (types.length >= ARITIES.length || !lookup.hasFullPrivilegeAccess()) {
            return REFLECTION;
        }
        try {
            // Initialised here, as reflection would: a failing static initialiser is thrown as it is,
            // not as a failure of the constructor.
            lookup.ensureInitialized(type);
        } catch (IllegalAccessException e) {
            return REFLECTION;
        }
        try {
            MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class, types));
            return LambdaMetafactory.metafactory(lookup, "make",
                    MethodType.methodType(ARITIES[types.length]), MethodType.genericMethodType(types.length),
                    constructor, constructor.type().wrap().changeReturnType(type)).getTarget().invoke();
        } catch (Throwable e) {
            return REFLECTION; // reflection makes it, or says why it cannot
        }
    }

    /** Calls a function of {@link #ARITIES} with the array's values as its arguments. */
    @SuppressWarnings({"rawtypes", "unchecked"}) // the functions take what the binder made for each component
    private static Object call(Object function, Object[] a) {
        return switch (a.length) {
            case 0 -> ((Make0) function).make();
            case 1 -> ((Make1) function).make(a[0]);
            case 2 -> ((Make2) function).make(a[0], a[1]);
            case 3 -> ((Make3) function).make(a[0], a[1], a[2]);
            case 4 -> ((Make4) function).make(a[0], a[1], a[2], a[3]);
            case 5 -> ((Make5) function).make(a[0], a[1], a[2], a[3], a[4]);
            case 6 -> ((Make6) function).make(a[0], a[1], a[2], a[3], a[4], a[5]);
            case 7 -> ((Make7) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6]);
            case 8 -> ((Make8) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]);
            case 9 -> ((Make9) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8]);
            case 10 -> ((Make10) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9]);
            case 11 -> ((Make11) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10]);
            case 12 -> ((Make12) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
                    a[11]);
            case 13 -> ((Make13) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
                    a[11], a[12]);
            case 14 -> ((Make14) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
                    a[11], a[12], a[13]);
            case 15 -> ((Make15) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
                    a[11], a[12], a[13], a[14]);
            case 16 -> ((Make16) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10],
                    a[11], a[12], a[13], a[14], a[15]);
            default -> throw new IllegalStateException("no function of " + a.length + " arguments");
        };
    }

    private static final Class<?>[] ARITIES = {Make0.class, Make1.class, Make2.class, Make3.class, Make4.class,
            Make5.class, Make6.class, Make7.class, Make8.class, Make9.class, Make10.class, Make11.class, Make12.class,
            Make13.class, Make14.class, Make15.class, Make16.class};
}
