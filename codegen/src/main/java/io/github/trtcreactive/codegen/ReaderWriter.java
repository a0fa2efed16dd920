package io.github.trtcreactive.codegen;

import java.util.Map;

/**
 * Writes {@code ModelReaders}: for every response and data type, a method that binds it from a
 * streaming JSON parser through its builder, member by member, without reflection. The readers take
 * only the token each member's type expects (or null); anything else makes them give up
 * ({@code Read.Unexpected}), and the reply is bound by Jackson instead, whose coercions stay the rule
 * for odd replies.
 */
final class ReaderWriter {

    static final String PACKAGE = "io.github.trtcreactive.core.protocol";

    private final Spec spec;

    ReaderWriter(Spec spec) {
        this.spec = spec;
    }

    String write() {
        Source s = new Source();
        s.header(PACKAGE);
        s.line("import com.fasterxml.jackson.core.JsonParser;");
        s.line("import com.fasterxml.jackson.core.JsonToken;");
        s.line("import io.github.trtcreactive.core.model.*;");
        s.line("import java.io.IOException;");
        s.line("import java.util.Map;");
        s.line("import javax.annotation.processing.Generated;");
        s.line("");
        s.line("/** Binds response and data types from a parser positioned on their start, through their builders. */");
        s.line("@Generated(\"trtc-codegen\")");
        s.line("final class ModelReaders {");
        s.indent();
        s.line("");
        s.line("private ModelReaders() {}");
        s.line("");
        s.line("/** The reader of each response type. */");
        s.line("static final Map<Class<?>, Read.ObjectReader<?>> RESPONSES = Map.ofEntries(");
        s.indent();
        var responses = spec.objects().entrySet().stream().filter(e -> e.getValue().kind().equals("response")).toList();
        for (int i = 0; i < responses.size(); i++) {
            String name = responses.get(i).getKey();
            s.line("Map.entry(" + name + ".class, ModelReaders::" + method(name) + ")"
                    + (i + 1 < responses.size() ? "," : ");"));
        }
        s.outdent();
        for (Map.Entry<String, Spec.ObjectType> type : spec.objects().entrySet()) {
            if (type.getValue().kind().equals("request")) {
                continue;
            }
            s.line("");
            writeReader(s, type.getKey(), type.getValue());
        }
        s.outdent();
        s.line("}");
        return s.toString();
    }

    private static String method(String type) {
        return "read" + type;
    }

    private void writeReader(Source s, String name, Spec.ObjectType type) {
        boolean response = type.kind().equals("response");
        s.line("static " + name + " " + method(name) + "(JsonParser p) throws IOException {");
        s.indent();
        s.line(name + ".Builder b = " + name + ".builder();");
        s.line("while (p.nextToken() == JsonToken.FIELD_NAME) {");
        s.indent();
        s.line("String member = p.currentName();");
        s.line("JsonToken t = p.nextToken();");
        s.line("switch (member) {");
        s.indent();
        for (Spec.Member m : type.members()) {
            s.line("case \"" + m.name() + "\" -> b." + JavaNames.member(m.name()) + "(" + value(m) + ");");
        }
        if (response && type.members().stream().noneMatch(m -> m.name().equals("Error"))) {
            s.line("case \"Error\" -> Read.noError(t);");
        }
        s.line("default -> p.skipChildren();");
        s.outdent();
        s.line("}");
        s.outdent();
        s.line("}");
        s.line("Read.expectEndObject(p);");
        s.line("return b.build();");
        s.outdent();
        s.line("}");
    }

    private static String value(Spec.Member m) {
        return switch (m.type()) {
            case "list" -> "Read.list(p, t, " + element(m.element(), 1) + ")";
            case "object" -> "Read.object(p, t, ModelReaders::" + method(m.element()) + ")";
            default -> scalar(m.type()) + "(p, t)";
        };
    }

    /** The reader of a list's elements, as a method reference or lambda. */
    private static String element(String type, int depth) {
        String p = "p" + depth;
        String t = "t" + depth;
        if (type.startsWith("[") && type.endsWith("]")) {
            return "(" + p + ", " + t + ") -> Read.list(" + p + ", " + t + ", "
                    + element(type.substring(1, type.length() - 1), depth + 1) + ")";
        }
        return switch (type) {
            case "string", "date", "int", "float", "bool" -> "Read::" + scalar(type).substring("Read.".length());
            default -> "(" + p + ", " + t + ") -> Read.object(" + p + ", " + t + ", ModelReaders::" + method(type) + ")";
        };
    }

    private static String scalar(String type) {
        return switch (type) {
            case "string", "date" -> "Read.string";
            case "int" -> "Read.integer";
            case "float" -> "Read.decimal";
            case "bool" -> "Read.bool";
            default -> throw new IllegalArgumentException("not a scalar type: " + type);
        };
    }
}
