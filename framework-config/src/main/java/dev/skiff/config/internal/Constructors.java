package dev.skiff.config.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The canonical constructors of the framework's own settings records, given to the binder as
 * constructor references ({@code register(Http.class, Http::new)}), so that binding such a record
 * calls its constructor through a class compiled into the framework. Without one, the binder makes
 * a function per record class at run time ({@code LambdaMetafactory}), which the JDK's AOT cache
 * does not keep: 2–5 ms per record at every start on one core, where a constructor reference is
 * linked in the cache. For the records framework-core binds at every start; a module's records,
 * framework-jdbc's included, are bound as an application's are, so that a user's module can do
 * all that one of the framework's does. One interface per number of components; the binder's own
 * functions implement the same ones.
 */
public final class Constructors {

    private static final Map<Class<?>, Object> REGISTERED = new ConcurrentHashMap<>();

    private Constructors() {}

    /** {@return the constructor registered for {@code type}, one of the {@code Make} interfaces, or null} */
    public static Object registered(Class<?> type) {
        return REGISTERED.get(type);
    }

    /**
     * Registers a record's constructor. Only the number of parameters is checked: the reference must
     * be to the canonical constructor (a record with another constructor of as many parameters
     * cannot be told from it here), and a record is registered once.
     */
    private static void put(Class<? extends Record> type, Object make, int arity) {
        int components = type.isRecord() ? type.getRecordComponents().length : -1;
        if (components != arity) {
            throw new IllegalArgumentException(type.getName() + (components < 0 ? " is not a record" : " has "
                    + components + " components: a constructor of " + arity + " parameters cannot be its canonical one"));
        }
        if (REGISTERED.putIfAbsent(type, make) != null) {
            throw new IllegalStateException(type.getName() + "'s constructor is registered already");
        }
    }

    /** Registers the canonical constructor of a record of 0 components. */
    public static <R extends Record> void register(Class<R> type, Make0<R> make) {
        put(type, make, 0);
    }

    /** Registers the canonical constructor of a record of 1 component. */
    public static <A, R extends Record> void register(Class<R> type, Make1<A, R> make) {
        put(type, make, 1);
    }

    /** Registers the canonical constructor of a record of 2 components. */
    public static <A, B, R extends Record> void register(Class<R> type, Make2<A, B, R> make) {
        put(type, make, 2);
    }

    /** Registers the canonical constructor of a record of 3 components. */
    public static <A, B, C, R extends Record> void register(Class<R> type, Make3<A, B, C, R> make) {
        put(type, make, 3);
    }

    /** Registers the canonical constructor of a record of 4 components. */
    public static <A, B, C, D, R extends Record> void register(Class<R> type, Make4<A, B, C, D, R> make) {
        put(type, make, 4);
    }

    /** Registers the canonical constructor of a record of 5 components. */
    public static <A, B, C, D, E, R extends Record> void register(Class<R> type, Make5<A, B, C, D, E, R> make) {
        put(type, make, 5);
    }

    /** Registers the canonical constructor of a record of 6 components. */
    public static <A, B, C, D, E, F, R extends Record> void register(Class<R> type, Make6<A, B, C, D, E, F, R> make) {
        put(type, make, 6);
    }

    /** Registers the canonical constructor of a record of 7 components. */
    public static <A, B, C, D, E, F, G, R extends Record> void register(Class<R> type, Make7<A, B, C, D, E, F, G, R> make) {
        put(type, make, 7);
    }

    /** Registers the canonical constructor of a record of 8 components. */
    public static <A, B, C, D, E, F, G, H, R extends Record> void register(Class<R> type, Make8<A, B, C, D, E, F, G, H, R> make) {
        put(type, make, 8);
    }

    /** Registers the canonical constructor of a record of 9 components. */
    public static <A, B, C, D, E, F, G, H, I, R extends Record> void register(Class<R> type, Make9<A, B, C, D, E, F, G, H, I, R> make) {
        put(type, make, 9);
    }

    /** Registers the canonical constructor of a record of 10 components. */
    public static <A, B, C, D, E, F, G, H, I, J, R extends Record> void register(Class<R> type, Make10<A, B, C, D, E, F, G, H, I, J, R> make) {
        put(type, make, 10);
    }

    /** Registers the canonical constructor of a record of 11 components. */
    public static <A, B, C, D, E, F, G, H, I, J, K, R extends Record> void register(Class<R> type, Make11<A, B, C, D, E, F, G, H, I, J, K, R> make) {
        put(type, make, 11);
    }

    /** Registers the canonical constructor of a record of 12 components. */
    public static <A, B, C, D, E, F, G, H, I, J, K, L, R extends Record> void register(Class<R> type, Make12<A, B, C, D, E, F, G, H, I, J, K, L, R> make) {
        put(type, make, 12);
    }

    /** Registers the canonical constructor of a record of 13 components. */
    public static <A, B, C, D, E, F, G, H, I, J, K, L, M, R extends Record> void register(Class<R> type, Make13<A, B, C, D, E, F, G, H, I, J, K, L, M, R> make) {
        put(type, make, 13);
    }

    /** Registers the canonical constructor of a record of 14 components. */
    public static <A, B, C, D, E, F, G, H, I, J, K, L, M, N, R extends Record> void register(Class<R> type, Make14<A, B, C, D, E, F, G, H, I, J, K, L, M, N, R> make) {
        put(type, make, 14);
    }

    /** Registers the canonical constructor of a record of 15 components. */
    public static <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, R extends Record> void register(Class<R> type, Make15<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, R> make) {
        put(type, make, 15);
    }

    /** Registers the canonical constructor of a record of 16 components. */
    public static <A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, R extends Record> void register(Class<R> type, Make16<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, R> make) {
        put(type, make, 16);
    }

    // One interface per arity: a constructor reference, or what LambdaMetafactory implements with a call of
    // the constructor. Public, since the class it makes is the record's nestmate, in the record's package.

    /** A constructor of 0 parameters. */
    @FunctionalInterface
    public interface Make0<R> {
        /** {@return the record made of the values} */
        R make();
    }

    /** A constructor of 1 parameter. */
    @FunctionalInterface
    public interface Make1<A, R> {
        /** {@return the record made of the values} */
        R make(A a);
    }

    /** A constructor of 2 parameters. */
    @FunctionalInterface
    public interface Make2<A, B, R> {
        /** {@return the record made of the values} */
        R make(A a, B b);
    }

    /** A constructor of 3 parameters. */
    @FunctionalInterface
    public interface Make3<A, B, C, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c);
    }

    /** A constructor of 4 parameters. */
    @FunctionalInterface
    public interface Make4<A, B, C, D, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d);
    }

    /** A constructor of 5 parameters. */
    @FunctionalInterface
    public interface Make5<A, B, C, D, E, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e);
    }

    /** A constructor of 6 parameters. */
    @FunctionalInterface
    public interface Make6<A, B, C, D, E, F, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f);
    }

    /** A constructor of 7 parameters. */
    @FunctionalInterface
    public interface Make7<A, B, C, D, E, F, G, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g);
    }

    /** A constructor of 8 parameters. */
    @FunctionalInterface
    public interface Make8<A, B, C, D, E, F, G, H, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g, H h);
    }

    /** A constructor of 9 parameters. */
    @FunctionalInterface
    public interface Make9<A, B, C, D, E, F, G, H, I, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g, H h, I i);
    }

    /** A constructor of 10 parameters. */
    @FunctionalInterface
    public interface Make10<A, B, C, D, E, F, G, H, I, J, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j);
    }

    /** A constructor of 11 parameters. */
    @FunctionalInterface
    public interface Make11<A, B, C, D, E, F, G, H, I, J, K, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k);
    }

    /** A constructor of 12 parameters. */
    @FunctionalInterface
    public interface Make12<A, B, C, D, E, F, G, H, I, J, K, L, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l);
    }

    /** A constructor of 13 parameters. */
    @FunctionalInterface
    public interface Make13<A, B, C, D, E, F, G, H, I, J, K, L, M, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l, M m);
    }

    /** A constructor of 14 parameters. */
    @FunctionalInterface
    public interface Make14<A, B, C, D, E, F, G, H, I, J, K, L, M, N, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l, M m, N n);
    }

    /** A constructor of 15 parameters. */
    @FunctionalInterface
    public interface Make15<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l, M m, N n, O o);
    }

    /** A constructor of 16 parameters. */
    @FunctionalInterface
    public interface Make16<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P, R> {
        /** {@return the record made of the values} */
        R make(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l, M m, N n, O o, P p);
    }
}
