package io.github.trtcreactive.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Immutable copies of model lists that, unlike {@code List.copyOf}, keep null elements a reply may
 * hold; nested lists (rows of a table) are copied too.
 */
final class ModelLists {

    private ModelLists() {}

    @SuppressWarnings("unchecked")
    static <T> List<T> copyOf(List<? extends T> values) {
        List<T> copy = new ArrayList<>(values.size());
        for (T value : values) {
            copy.add(value instanceof List<?> nested ? (T) copyOf(nested) : value);
        }
        return Collections.unmodifiableList(copy);
    }
}
