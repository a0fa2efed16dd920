package io.github.trtcreactive.core;

/** Constants of the TRTC server API that every request carries. */
public final class TrtcApi {

    /** The service name in the TC3 credential scope. */
    public static final String SERVICE = "trtc";

    /** The API version sent as {@code X-TC-Version}. */
    public static final String VERSION = "2019-07-22";

    /** The content type every request is sent and signed with. */
    public static final String CONTENT_TYPE = "application/json; charset=utf-8";

    private TrtcApi() {}
}
