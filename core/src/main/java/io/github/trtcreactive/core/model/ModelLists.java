package io.github.trtcreactive.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Immutable copies of model lists that, unlike {@code List.copyOf}, keep null elements a reply may hold. */
final class ModelLists {

    private ModelLists() {}

    static <T> List<T> copyOf(List<? extends T> values) {
        return Collections.unmodifiableList(new ArrayList<>(values));
    }
}
