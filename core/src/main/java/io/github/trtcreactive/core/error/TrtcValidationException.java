package io.github.trtcreactive.core.error;

import java.util.List;

/** A request was rejected before anything was sent, because it breaks a rule of its action. */
public class TrtcValidationException extends TrtcException {

    private static final long serialVersionUID = 1L;

    /** The action whose request was refused. */
    private final String action;
    /** One sentence per broken rule. */
    private final List<String> violations;

    /**
     * Creates the exception.
     *
     * @param action the action whose request is invalid
     * @param violations one sentence per broken rule, each naming the member
     */
    public TrtcValidationException(String action, List<String> violations) {
        super(action + " request rejected before sending: " + String.join("; ", violations), null);
        this.action = action;
        this.violations = List.copyOf(violations);
    }

    /** {@return the action whose request is invalid} */
    public String action() {
        return action;
    }

    /** {@return one sentence per broken rule} */
    public List<String> violations() {
        return violations;
    }
}
