package io.github.trtcreactive.codegen;

import java.util.Set;

/** Turns the service's wire names into Java identifiers. */
final class JavaNames {

    private static final Set<String> RESERVED = Set.of(
            "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
            "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float", "for",
            "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native", "new",
            "package", "private", "protected", "public", "return", "short", "static", "strictfp", "super",
            "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void", "volatile", "while",
            "true", "false", "null", "var", "record", "yield",
            // methods every generated class declares or inherits
            "builder", "toBuilder", "build", "equals", "hashCode", "toString", "getClass", "notify", "notifyAll",
            "wait", "check",
            // locals of the generated equals
            "that", "other");

    private JavaNames() {}

    /**
     * The lowerCamelCase form of a wire name: a leading acronym is lower-cased as a word
     * ({@code APIKey} → {@code apiKey}, {@code SdkAppId} → {@code sdkAppId}, {@code ID} → {@code id}).
     */
    static String member(String wire) {
        int run = 0;
        while (run < wire.length() && Character.isUpperCase(wire.charAt(run))) {
            run++;
        }
        String name;
        if (run == 0) {
            name = wire;
        } else if (run == wire.length()) {
            name = wire.toLowerCase(java.util.Locale.ROOT);
        } else {
            int lower = run == 1 || !Character.isLowerCase(wire.charAt(run)) ? run : run - 1;
            name = wire.substring(0, lower).toLowerCase(java.util.Locale.ROOT) + wire.substring(lower);
        }
        if (RESERVED.contains(name) || !isIdentifier(name)) {
            throw new IllegalStateException("wire name " + wire + " has no safe Java name: " + name);
        }
        return name;
    }

    private static boolean isIdentifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(Character::isJavaIdentifierPart);
    }
}
