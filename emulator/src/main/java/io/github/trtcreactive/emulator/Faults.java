package io.github.trtcreactive.emulator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The faults scheduled on an emulator: each applies to one action (or any) for the next N matching
 * calls (or every call), and the first matching rule wins. Thread-safe.
 */
public final class Faults {

    private static final class Rule {
        final String action;
        final Fault fault;
        int remaining;

        Rule(String action, Fault fault, int remaining) {
            this.action = action;
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final List<Rule> rules = new ArrayList<>();

    Faults() {}

    /**
     * Applies a fault to the next {@code times} calls of an action.
     *
     * @param action the action name
     * @param fault the fault
     * @param times how many calls, at least 1
     * @return this
     */
    public Faults next(String action, Fault fault, int times) {
        return add(Objects.requireNonNull(action, "action"), fault, times);
    }

    /**
     * Applies a fault to the next {@code times} calls, whatever their action.
     *
     * @param fault the fault
     * @param times how many calls, at least 1
     * @return this
     */
    public Faults nextAny(Fault fault, int times) {
        return add(null, fault, times);
    }

    /**
     * Applies a fault to every call of an action until {@link #clear()}.
     *
     * @param action the action name
     * @param fault the fault
     * @return this
     */
    public Faults always(String action, Fault fault) {
        return add(Objects.requireNonNull(action, "action"), fault, -1);
    }

    /** Removes every scheduled fault. */
    public synchronized void clear() {
        rules.clear();
    }

    private synchronized Faults add(String action, Fault fault, int times) {
        Objects.requireNonNull(fault, "fault");
        if (times == 0 || times < -1) {
            throw new IllegalArgumentException("times must be at least 1, was " + times);
        }
        rules.add(new Rule(action, fault, times));
        return this;
    }

    /** Takes the fault for one call, if any rule matches. */
    synchronized Fault take(String action) {
        for (Iterator<Rule> it = rules.iterator(); it.hasNext(); ) {
            Rule rule = it.next();
            if (rule.action == null || rule.action.equals(action)) {
                if (rule.remaining > 0 && --rule.remaining == 0) {
                    it.remove();
                }
                return rule.fault;
            }
        }
        return null;
    }
}
