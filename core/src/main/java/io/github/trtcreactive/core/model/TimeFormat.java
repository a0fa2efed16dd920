package io.github.trtcreactive.core.model;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * The forms in which a request gives a point in time, as the documentation states them, and how far
 * apart two such points are. Used by the checks of a period (a start and an end member).
 */
public enum TimeFormat {

    /** A Unix time in seconds, as an integer member. */
    EPOCH_SECONDS("a Unix time in seconds"),
    /** A date, {@code YYYY-MM-DD}, as a string member. */
    DATE("a date in the form YYYY-MM-DD"),
    /** A date and time, {@code YYYY-MM-DD HH:mm:ss}, as a string member. */
    DATE_TIME("a date and time in the form YYYY-MM-DD HH:mm:ss");

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("uuuu-MM-dd")
            .withResolverStyle(ResolverStyle.STRICT);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);

    private final String description;

    TimeFormat(String description) {
        this.description = description;
    }

    /** {@return what a value of this form looks like, in words} */
    public String description() {
        return description;
    }

    /**
     * Reads a value of this form as seconds on one scale (the Unix time itself; a date or date and
     * time read as UTC, which is enough to compare two values of one form).
     *
     * @param value the member's value: a {@link Number} for {@link #EPOCH_SECONDS}, a string otherwise
     * @return the seconds, or null when the value is not of this form
     */
    public Long seconds(Object value) {
        try {
            return switch (this) {
                case EPOCH_SECONDS -> value instanceof Number n ? Long.valueOf(n.longValue()) : null;
                case DATE -> value instanceof String s ? LocalDate.parse(s, DAY).toEpochDay() * 86_400L : null;
                case DATE_TIME -> value instanceof String s
                        ? LocalDateTime.parse(s, DAY_TIME).toEpochSecond(ZoneOffset.UTC) : null;
            };
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /**
     * Says a number of seconds in the largest whole unit (days, hours, minutes), as the documentation
     * states periods.
     *
     * @param seconds a non-negative number of seconds
     * @return the words, such as {@code 31 days} or {@code 1 hour}
     */
    public static String words(long seconds) {
        if (seconds > 0 && seconds % 86_400 == 0) {
            return plural(seconds / 86_400, "day");
        }
        if (seconds > 0 && seconds % 3_600 == 0) {
            return plural(seconds / 3_600, "hour");
        }
        if (seconds > 0 && seconds % 60 == 0) {
            return plural(seconds / 60, "minute");
        }
        return plural(seconds, "second");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
