package io.github.trtcreactive.core.model;

import java.util.Objects;

/**
 * What every generated value set shares: a value as sent, and the constant's name when the
 * documentation lists the value. Value sets are open: a value this version does not know is kept,
 * unnamed. Two instances are equal when they are of the same set and hold the same value.
 *
 * @param <V> the value's type, {@code Long} or {@code String}
 */
public abstract class DocumentedValue<V> {

    private final V value;
    private final String name;

    /**
     * Creates a value.
     *
     * @param value the value as sent
     * @param name the documented constant's name, or null for a value the documentation does not list
     */
    protected DocumentedValue(V value, String name) {
        this.value = Objects.requireNonNull(value, "value");
        this.name = name;
    }

    /** {@return the value as sent} */
    public final V value() {
        return value;
    }

    /** {@return whether the value is one the documentation lists} */
    public final boolean isKnown() {
        return name != null;
    }

    @Override
    public final boolean equals(Object other) {
        return other != null && other.getClass() == getClass() && ((DocumentedValue<?>) other).value.equals(value);
    }

    @Override
    public final int hashCode() {
        return value.hashCode();
    }

    /** {@return the constant's name and value, or the value alone when it is not documented} */
    @Override
    public final String toString() {
        return name == null ? String.valueOf(value) : name + "(" + value + ")";
    }
}
