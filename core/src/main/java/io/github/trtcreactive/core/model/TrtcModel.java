package io.github.trtcreactive.core.model;

/** Every generated model type: requests, responses and the structures inside them. */
public interface TrtcModel {

    /**
     * Reports what this object and the structures in it break: missing required members, null list
     * elements and, at the checks' level, documented constraints.
     *
     * @param path the prefix naming where this object sits, for example {@code "RecordParams."}
     * @param checks where violations are reported
     */
    void check(String path, ModelChecks checks);
}
