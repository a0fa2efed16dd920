package io.github.trtcreactive.core.model;

import java.util.List;

/** Every generated model type: requests, responses and the structures inside them. */
public interface TrtcModel {

    /**
     * Adds the path of every required member that is not set, here and in nested structures.
     *
     * @param path the prefix naming where this object sits, for example {@code "RecordParams."}
     * @param missing the list to add to
     */
    void collectMissingRequired(String path, List<String> missing);
}
