package io.github.trtcreactive.core.error;

/**
 * Makes text a remote service chose (an error's {@code Message}, a code, a request id, a name it
 * lists) safe to put into an exception message or a log line. The service is not trusted to send
 * plain prose: a control character could forge a log line ({@code \n}), recolour or erase a terminal
 * (an ESC sequence) or reorder what a reader sees (a bidi override). Such characters are replaced,
 * and the text is cut to a bounded length, so one reply cannot flood a log either.
 */
public final class ServiceText {

    /** The longest text {@link #sanitize(String)} returns, the cut marker included. */
    public static final int MAX_LENGTH = 256;

    /** Marks where text was cut. */
    private static final char CUT = '\u2026';
    /** Stands for a character that was removed. */
    private static final char REPLACED = '\uFFFD';

    private ServiceText() {}

    /**
     * The text with every unsafe character replaced and cut to {@link #MAX_LENGTH} characters.
     *
     * @param text text a service sent, or {@code null}
     * @return the safe text, or {@code null} when {@code text} is {@code null}
     * @see #sanitize(String, int)
     */
    public static String sanitize(String text) {
        return sanitize(text, MAX_LENGTH);
    }

    /**
     * The text with every unsafe character replaced, cut to at most {@code maxLength} characters (the
     * last one then being {@code …}). Line breaks and tabs ({@code \r}, {@code \n}, {@code \t}, U+0085,
     * U+2028, U+2029) become a space; every other ISO control character (C0, DEL and C1, so ESC too),
     * the bidirectional controls (U+061C, U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069) and
     * unpaired surrogates become U+FFFD. A cut never splits a surrogate pair.
     *
     * @param text text a service sent, or {@code null}
     * @param maxLength the longest result, at least 2
     * @return the safe text, or {@code null} when {@code text} is {@code null}
     * @throws IllegalArgumentException when {@code maxLength} is less than 2
     */
    public static String sanitize(String text, int maxLength) {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, was " + maxLength);
        }
        if (text == null) {
            return null;
        }
        boolean cut = text.length() > maxLength;
        int end = cut ? maxLength - 1 : text.length();
        if (cut && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        StringBuilder safe = new StringBuilder(end + 1);
        for (int i = 0; i < end; i++) {
            char c = text.charAt(i);
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(text.charAt(i + 1));
                if (paired) {
                    safe.append(c).append(text.charAt(++i));
                } else {
                    safe.append(REPLACED);
                }
            } else {
                safe.append(replacement(c));
            }
        }
        return cut ? safe.append(CUT).toString() : safe.toString();
    }

    private static char replacement(char c) {
        if (c == '\r' || c == '\n' || c == '\t' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
            return ' ';
        }
        if (Character.isISOControl(c) || isBidiControl(c)) {
            return REPLACED;
        }
        return c;
    }

    private static boolean isBidiControl(char c) {
        return c == '\u061C' || c == '\u200E' || c == '\u200F' || (c >= '\u202A' && c <= '\u202E')
                || (c >= '\u2066' && c <= '\u2069');
    }
}
