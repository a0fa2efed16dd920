package io.github.trtcreactive.core.model;

/**
 * How much of the documentation a request is checked against before it is sent. Whatever the level,
 * a request that fails a check is refused with
 * {@link io.github.trtcreactive.core.error.TrtcValidationException}: nothing is sent and no rate-limit
 * permit is spent.
 */
public enum Validation {

    /**
     * What is certain (the default): required members are present, lists hold no null element, and
     * lists respect their documented length. An action called in a region its documentation does not
     * list is sent, with a warning logged once per action and region.
     */
    CERTAIN,

    /**
     * Every documented constraint the model knows besides: numeric ranges, value sets, string
     * lengths and the rules between members (a room id against its declared type), and an action's
     * documented regions, which are then refused rather than warned about. For development and tests:
     * the service sometimes accepts more than its documentation says.
     */
    DOCUMENTED
}
