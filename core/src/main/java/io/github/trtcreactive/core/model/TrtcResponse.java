package io.github.trtcreactive.core.model;

/** The output of one action: the members of the {@code Response} object of a successful reply. */
public interface TrtcResponse extends TrtcModel {

    /** {@return the id the service gave this request; quote it when asking for support} */
    String requestId();
}
