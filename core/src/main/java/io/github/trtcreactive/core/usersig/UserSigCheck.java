package io.github.trtcreactive.core.usersig;

/** The outcome of checking a UserSig or a PrivateMapKey. */
public enum UserSigCheck {
    /** Signed with the application's key, for this user and application, and not expired. */
    VALID,
    /** Correctly signed but past its validity. */
    EXPIRED,
    /** The signature does not match: another key signed it, or it was altered. */
    SIGNATURE_MISMATCH,
    /** Issued for another user. */
    IDENTIFIER_MISMATCH,
    /** Issued for another application. */
    SDK_APP_ID_MISMATCH,
    /** Not a UserSig at all. */
    MALFORMED,
    /** A PrivateMapKey without a privilege map, or one granting another room. */
    ROOM_MISMATCH
}
