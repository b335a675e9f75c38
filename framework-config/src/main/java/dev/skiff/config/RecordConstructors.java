package dev.skiff.config;

import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;

/**
 * Calls a record's canonical constructor with the values a bind read, made once per record class.
 *
 * <p>Why not {@link Constructor#newInstance}: the JDK's reflection adapts each constructor of more
 * than three parameters with method-handle combinators whose classes it generates at run time,
 * about a dozen milliseconds per record class on one core before the JIT compiler has run, and a
 * service binds ten records before its first request. Here each record class gets one small class
 * from {@link LambdaMetafactory}, as a lambda does: a quarter of that time. A record this cannot
 * reach (over 16 components, or in a module that does not open its package to
 * Skiff) is made by reflection, as before.
 */
final class RecordConstructors {

        private static final ClassValue<Maker> MAKERS = new ClassValue<>() {
        @Override
        protected Maker computeValue(Class<?> type) {
            return maker(type);
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
        return type.cast(MAKERS.get(type).make(args));
    }

    /** {@return whether records of this class are made without reflection} For the tests. */
    static boolean madeDirectly(Class<?> type) {
        return MAKERS.get(type).function != null;
    }

    private static Maker maker(Class<?> type) {
        var components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < types.length; i++) {
            types[i] = components[i].getType();
        }
        if (types.length < ARITIES.length) {
            try {
                var lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                MethodHandle constructor = lookup.findConstructor(type, MethodType.methodType(void.class, types));
                Object function = LambdaMetafactory.metafactory(lookup, "make",
                        MethodType.methodType(ARITIES[types.length]), MethodType.genericMethodType(types.length),
                        constructor, constructor.type().wrap().changeReturnType(type)).getTarget().invoke();
                return new Maker(function, null);
            } catch (Throwable e) {
                // Not reachable this way (a module that does not open the package): reflection says why.
            }
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
            return new Maker(null, constructor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return new Maker(null, null, e);
        }
    }

    /** One record class's way of being made: a function of its arity, or its constructor by reflection. */
    private record Maker(Object function, Constructor<?> constructor, Exception unreachable) {

        Maker(Object function, Constructor<?> constructor) {
            this(function, constructor, null);
        }

        Object make(Object[] a) throws ReflectiveOperationException {
            if (function == null) {
                if (unreachable instanceof ReflectiveOperationException e) {
                    throw e;
                } else if (unreachable != null) {
                    throw (RuntimeException) unreachable;
                }
                return constructor.newInstance(a);
            }
            try {
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
                    case 11 -> ((Make11) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                            a[10]);
                    case 12 -> ((Make12) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                            a[10], a[11]);
                    case 13 -> ((Make13) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                            a[10], a[11], a[12]);
                    case 14 -> ((Make14) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                            a[10], a[11], a[12], a[13]);
                    case 15 -> ((Make15) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                            a[10], a[11], a[12], a[13], a[14]);
                    case 16 -> ((Make16) function).make(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9],
                            a[10], a[11], a[12], a[13], a[14], a[15]);
                    default -> throw new IllegalStateException("no function of " + a.length + " arguments");
                };
            } catch (Throwable e) {
                throw new InvocationTargetException(e); // the constructor's own check, as reflection reports it
            }
        }
    }

    private static final Class<?>[] ARITIES = {Make0.class, Make1.class, Make2.class, Make3.class, Make4.class,
            Make5.class, Make6.class, Make7.class, Make8.class, Make9.class, Make10.class, Make11.class, Make12.class,
            Make13.class, Make14.class, Make15.class, Make16.class};

    // One interface per arity: what LambdaMetafactory implements with a call of the constructor. Public,
    // since the class it makes is the record's nestmate, in the record's package.
    public interface Make0 { Object make(); }
    public interface Make1 { Object make(Object a); }
    public interface Make2 { Object make(Object a, Object b); }
    public interface Make3 { Object make(Object a, Object b, Object c); }
    public interface Make4 { Object make(Object a, Object b, Object c, Object d); }
    public interface Make5 { Object make(Object a, Object b, Object c, Object d, Object e); }
    public interface Make6 { Object make(Object a, Object b, Object c, Object d, Object e, Object f); }
    public interface Make7 { Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g); }
    public interface Make8 { Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h); }
    public interface Make9 {
        Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h, Object i);
    }
    public interface Make10 {
        Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h, Object i, Object j);
    }
    public interface Make11 {
        Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h, Object i, Object j,
                Object k);
    }
    public interface Make12 {
        Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h, Object i, Object j,
                Object k, Object l);
    }
    public interface Make13 {
        Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h, Object i, Object j,
                Object k, Object l, Object m);
    }
    public interface Make14 {
        Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h, Object i, Object j,
                Object k, Object l, Object m, Object n);
    }
    public interface Make15 {
        Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h, Object i, Object j,
                Object k, Object l, Object m, Object n, Object o);
    }
    public interface Make16 {
        Object make(Object a, Object b, Object c, Object d, Object e, Object f, Object g, Object h, Object i, Object j,
                Object k, Object l, Object m, Object n, Object o, Object p);
    }
}
