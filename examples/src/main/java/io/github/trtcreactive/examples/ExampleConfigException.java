package io.github.trtcreactive.examples;

/** A setting an example needs is missing or malformed; the message names it and says how to fix it. */
public final class ExampleConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what is wrong, naming the variable or option
     */
    public ExampleConfigException(String message) {
        super(message);
    }
}
