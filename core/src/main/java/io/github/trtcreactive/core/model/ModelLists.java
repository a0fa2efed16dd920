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

    /**
     * The copy a request's builder keeps: a request never holds null, so one is refused at once,
     * naming the action, the member and the element.
     */
    static <T> List<T> copyOfRequest(String action, String member, List<? extends T> values) {
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new io.github.trtcreactive.core.error.TrtcValidationException(action, List.of("member " + member
                        + ": element " + i + " is null (lists may not hold null)"));
            }
        }
        return copyOf(values);
    }

    @SuppressWarnings("unchecked")
    static <T> List<T> copyOf(List<? extends T> values) {
        List<T> copy = new ArrayList<>(values.size());
        for (T value : values) {
            copy.add(value instanceof List<?> nested ? (T) copyOf(nested) : value);
        }
        return Collections.unmodifiableList(copy);
    }
}
