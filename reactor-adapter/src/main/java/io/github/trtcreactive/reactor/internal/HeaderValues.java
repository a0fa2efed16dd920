package io.github.trtcreactive.reactor.internal;

/** Checks on HTTP header values that run on every request or reply, without a regex. */
public final class HeaderValues {

    private HeaderValues() {}

    /**
     * Whether a header value is a plain decimal of at most 18 digits, so that it parses into a
     * {@code long} without a sign, a space or an overflow.
     *
     * @param value the header's value
     * @return whether it is
     */
    public static boolean isDecimal(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }
}
