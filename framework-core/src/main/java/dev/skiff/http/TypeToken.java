package dev.skiff.http;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;

/**
 * A generic type, kept past erasure for reading JSON into it: create it as an anonymous subclass,
 * {@code new TypeToken<List<Order>>() {}}.
 *
 * {@snippet :
 * List<Order> orders = ctx.bodyAs(new TypeToken<List<Order>>() {});
 * }
 *
 * @param <T> the type
 */
public abstract class TypeToken<T> {

    private final Type type;

    /**
     * Captures the type argument of the anonymous subclass.
     *
     * @throws IllegalStateException when made without a type argument, as a raw {@code TypeToken}
     */
    protected TypeToken() {
        Type superclass = getClass().getGenericSuperclass();
        if (!(superclass instanceof ParameterizedType parameterized)) {
            throw new IllegalStateException("create a TypeToken with its type, as new TypeToken<List<Order>>() {}");
        }
        this.type = parameterized.getActualTypeArguments()[0];
    }

    /** {@return the type} */
    public Type type() {
        return type;
    }

    @Override
    public String toString() {
        return type.getTypeName();
    }
}
