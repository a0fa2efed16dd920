package io.github.trtcreactive.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Collects what a request breaks, as the generated models report it at a {@link Validation} level:
 * one sentence per violation, naming the member's path, the rule and the value (a secret member's
 * value is never shown, only its length). Not thread-safe; one per check.
 */
public final class ModelChecks {

    private final Validation level;
    /** Made at the first violation: a valid request (the usual case) allocates no list. */
    private List<String> violations;

    /**
     * Starts a check.
     *
     * @param level what to check
     */
    public ModelChecks(Validation level) {
        this.level = Objects.requireNonNull(level, "level");
    }

    /** {@return the violations found so far, in the order found} */
    public List<String> violations() {
        return violations == null ? List.of() : List.copyOf(violations);
    }

    private void add(String violation) {
        if (violations == null) {
            violations = new ArrayList<>(2);
        }
        violations.add(violation);
    }

    /** {@return whether documented constraints are checked (not only the certain ones)} */
    public boolean documented() {
        return level == Validation.DOCUMENTED;
    }

    /**
     * A required member.
     *
     * @param path the member's path
     * @param value its value
     */
    public void required(String path, Object value) {
        if (value == null) {
            add("required member " + path + " is missing");
        }
    }

    /**
     * A list: no null element, and at most {@code maxItems} elements when that is documented
     * (checked at every level).
     *
     * @param path the member's path
     * @param list the list, or null
     * @param maxItems the most elements, or a negative number when none is documented
     */
    public void list(String path, List<?> list, long maxItems) {
        if (list == null) {
            return;
        }
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) == null) {
                add("member " + path + ": element " + i + " is null (lists may not hold null)");
            }
        }
        if (maxItems >= 0 && list.size() > maxItems) {
            add("member " + path + ": at most " + maxItems + " elements are documented, was " + list.size());
        }
    }

    /**
     * A documented range (checked at {@link Validation#DOCUMENTED}).
     *
     * @param path the member's path
     * @param value the value, or null
     * @param min the smallest allowed, or {@code Long.MIN_VALUE} for none
     * @param max the largest allowed, or {@code Long.MAX_VALUE} for none
     */
    public void range(String path, Number value, long min, long max) {
        if (value == null || !documented()) {
            return;
        }
        double v = value.doubleValue();
        if (v < min || v > max) {
            String rule = min != Long.MIN_VALUE && max != Long.MAX_VALUE ? "between " + min + " and " + max
                    : min != Long.MIN_VALUE ? "at least " + min : "at most " + max;
            add("member " + path + ": must be " + rule + " (documented range), was " + value);
        }
    }

    /**
     * A documented value set (checked at {@link Validation#DOCUMENTED}).
     *
     * @param path the member's path
     * @param value the value, or null
     * @param allowed the documented values
     */
    public void oneOf(String path, Object value, List<?> allowed) {
        if (value == null || !documented() || allowed.contains(value)) {
            return;
        }
        add("member " + path + ": must be one of " + allowed + " (documented values), was " + value);
    }

    /**
     * A documented longest length, in characters (checked at {@link Validation#DOCUMENTED}).
     *
     * @param path the member's path
     * @param value the value, or null
     * @param maxLength the most characters
     * @param secret whether the value must not be shown
     */
    public void length(String path, String value, long maxLength, boolean secret) {
        if (value == null || !documented()) {
            return;
        }
        int length = value.codePointCount(0, value.length());
        if (length > maxLength) {
            add("member " + path + ": at most " + maxLength + " characters are documented, was "
                    + (secret ? "a value of " + length + " characters" : length + " characters (\""
                            + (length > 40 ? value.substring(0, value.offsetByCodePoints(0, 40)) + "…" : value) + "\")"));
        }
    }

    /**
     * A rule between members that the documentation states (checked at {@link Validation#DOCUMENTED}).
     *
     * @param path the member the rule is reported on
     * @param holds whether the rule holds
     * @param rule the rule, in words
     * @param value the offending value, as shown
     */
    public void rule(String path, boolean holds, String rule, String value) {
        if (!holds && documented()) {
            add("member " + path + ": " + rule + ", was " + value);
        }
    }

    /**
     * A documented period between two members (checked at {@link Validation#DOCUMENTED}): each in its
     * documented form, the end not before the start and at most {@code maxSeconds} after it.
     *
     * @param path the path of the members' owner (ending in a dot, or empty)
     * @param fromName the start member's name
     * @param from its value, or null
     * @param toName the end member's name
     * @param to its value, or null
     * @param format the members' form
     * @param maxSeconds the longest period
     * @param condition when the rule applies, in words ({@code "when DataType is set"}), or empty
     */
    public void period(String path, String fromName, Object from, String toName, Object to, TimeFormat format,
            long maxSeconds, String condition) {
        if (!documented()) {
            return;
        }
        Long start = form(path + fromName, from, format);
        Long end = form(path + toName, to, format);
        if (start == null || end == null) {
            return;
        }
        if (end < start) {
            add("member " + path + toName + ": must not be before " + fromName + " (documented), was "
                    + TimeFormat.words(start - end) + " before it");
        } else if (end - start > maxSeconds) {
            add("member " + path + toName + ": must be at most " + TimeFormat.words(maxSeconds) + " after " + fromName
                    + " (documented" + (condition.isEmpty() ? "" : ", " + condition) + "), was "
                    + TimeFormat.words(end - start) + " after it");
        }
    }

    private Long form(String path, Object value, TimeFormat format) {
        if (value == null) {
            return null;
        }
        Long seconds = format.seconds(value);
        if (seconds == null) {
            add("member " + path + ": must be " + format.description() + " (documented), was " + value);
        }
        return seconds;
    }

    /**
     * A documented bound on the product of two members (checked at {@link Validation#DOCUMENTED}),
     * reported on the first.
     *
     * @param path the path of the members' owner (ending in a dot, or empty)
     * @param firstName the first member's name
     * @param first its value, or null
     * @param secondName the second member's name
     * @param second its value, or null
     * @param max the largest product
     * @param label the bound as people read it ({@code 1920 × 1080})
     */
    public void product(String path, String firstName, Number first, String secondName, Number second, long max,
            String label) {
        if (first == null || second == null || !documented()) {
            return;
        }
        if (first.doubleValue() * second.doubleValue() > max) {
            add("member " + path + firstName + ": " + firstName + " × " + secondName + " must be at most " + label
                    + " (documented), was " + first + " × " + second);
        }
    }

    /**
     * A documented bound that applies under a condition (checked at {@link Validation#DOCUMENTED}): a
     * number at most {@code max}, or a list of at most {@code max} elements.
     *
     * @param path the member's path
     * @param value a number or a list, or null
     * @param max the bound
     * @param condition when the rule applies, in words ({@code "when DataType is set"})
     */
    public void atMost(String path, Object value, long max, String condition) {
        if (value == null || !documented()) {
            return;
        }
        if (value instanceof List<?> list && list.size() > max) {
            add("member " + path + ": at most " + max + " elements " + condition + " (documented), was " + list.size());
        } else if (value instanceof Number n && n.doubleValue() > max) {
            add("member " + path + ": must be at most " + max + " " + condition + " (documented), was " + n);
        }
    }
}
