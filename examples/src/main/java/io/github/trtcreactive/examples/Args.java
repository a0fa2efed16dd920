package io.github.trtcreactive.examples;

import java.util.HashMap;
import java.util.Map;

/** The examples' command-line options: {@code --name value} pairs, each with a default. */
final class Args {

    private final Map<String, String> values;

    private Args(Map<String, String> values) {
        this.values = values;
    }

    /**
     * Parses options.
     *
     * @param args the command line
     * @param defaults every known option with its default value
     * @return the options
     * @throws ExampleConfigException on an unknown option or one without a value
     */
    static Args parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new HashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!defaults.containsKey(name)) {
                throw new ExampleConfigException("unknown option " + name + "; known: "
                        + String.join(", ", new java.util.TreeSet<>(defaults.keySet())));
            }
            if (i + 1 >= args.length) {
                throw new ExampleConfigException(name + " needs a value");
            }
            values.put(name, args[++i]);
        }
        return new Args(values);
    }

    /**
     * Reads a positive whole number.
     *
     * @param name the option
     * @return its value
     * @throws ExampleConfigException when it is not a positive whole number
     */
    long positiveLong(String name) {
        String raw = values.get(name);
        long value = positive(raw);
        if (value < 0) {
            throw new ExampleConfigException(name + " must be a positive whole number, was '" + raw + "'");
        }
        return value;
    }

    /**
     * Reads a positive whole number.
     *
     * @param raw the text
     * @return the number, or -1 when the text is not a positive whole number
     */
    static long positive(String raw) {
        try {
            long value = Long.parseLong(raw);
            return value > 0 ? value : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
