package io.github.trtcreactive.emulator;

/** An error the emulator answers with, as the service would: an error code and a message. */
final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String code;

    ApiException(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    String code() {
        return code;
    }

    static ApiException missing(String member) {
        return new ApiException("MissingParameter", "The request is missing a required parameter `" + member + "`.");
    }

    static ApiException invalid(String member, String rule) {
        return new ApiException("InvalidParameter", "The value of parameter `" + member + "` is invalid: " + rule + ".");
    }
}
