package io.github.trtcreactive.codegen;

import java.util.List;
import java.util.Set;

/** Writes one immutable model class, with its builder, for an object type of the spec. */
final class ModelWriter {

    static final String PACKAGE = "io.github.trtcreactive.core.model";

    private final Spec spec;
    private final Set<String> secrets;

    ModelWriter(Spec spec) {
        this.spec = spec;
        this.secrets = Set.copyOf(spec.secretMembers());
    }

    String write(String name, Spec.ObjectType type) {
        Source s = new Source();
        s.header(PACKAGE);
        s.line("import com.fasterxml.jackson.annotation.JsonAutoDetect;");
        s.line("import com.fasterxml.jackson.annotation.JsonIgnoreProperties;");
        s.line("import com.fasterxml.jackson.annotation.JsonInclude;");
        s.line("import com.fasterxml.jackson.annotation.JsonProperty;");
        s.line("import com.fasterxml.jackson.databind.annotation.JsonDeserialize;");
        s.line("import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;");
        s.line("import java.util.List;");
        s.line("import java.util.Objects;");
        s.line("import javax.annotation.processing.Generated;");
        s.line("");
        s.line("/**");
        s.line(" * " + summary(name, type) );
        s.line(" *");
        s.line(" * <p>Documented on " + Source.sites(type.sites()) + ". Instances are immutable; build them with");
        s.line(" * {@link #builder()} or derive a changed copy with {@link #toBuilder()}.");
        s.line(" */");
        s.line("@Generated(\"trtc-codegen\")");
        s.line("@JsonInclude(JsonInclude.Include.NON_NULL)");
        s.line("@JsonIgnoreProperties(ignoreUnknown = true)");
        s.line("@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.NONE,");
        s.line("        getterVisibility = JsonAutoDetect.Visibility.NONE,");
        s.line("        isGetterVisibility = JsonAutoDetect.Visibility.NONE)");
        s.line("@JsonDeserialize(builder = " + name + ".Builder.class)");
        s.line("public final class " + name + " implements " + interfaceOf(type) + " {");
        s.indent();
        List<Spec.Member> members = type.members();
        declareFields(s, members, "private final ");
        s.line("");
        copyConstructor(s, name, "Builder builder", "builder", members);
        for (Spec.Member m : members) {
            accessor(s, m);
        }
        factories(s, name);
        collectMissing(s, members);
        equalsHashCode(s, name, members);
        toStringMethod(s, name, members);
        builder(s, name, members);
        s.outdent();
        s.line("}");
        return s.toString();
    }

    private static String summary(String name, Spec.ObjectType type) {
        return switch (type.kind()) {
            case "request" -> "The input of the {@code " + action(name, "Request") + "} action.";
            case "response" -> "The output of the {@code " + action(name, "Response") + "} action.";
            default -> "The {@code " + name + "} structure of the TRTC API.";
        };
    }

    private static String action(String name, String suffix) {
        return name.substring(0, name.length() - suffix.length());
    }

    private static String interfaceOf(Spec.ObjectType type) {
        return switch (type.kind()) {
            case "request" -> "TrtcRequest";
            case "response" -> "TrtcResponse";
            default -> "TrtcModel";
        };
    }

    private void accessor(Source s, Spec.Member m) {
        String f = JavaNames.member(m.name());
        s.line("");
        s.line("/**");
        s.line(" * The {@code " + m.name() + "} member" + (m.required() ? ", required" : "") + ".");
        s.line(" *");
        s.line(" * @return the value, or {@code null} when absent");
        if (Boolean.TRUE.equals(m.deprecated())) {
            s.line(" * @deprecated the service marks this member as no longer in use");
        }
        s.line(" */");
        if (Boolean.TRUE.equals(m.deprecated())) {
            s.line("@Deprecated");
        }
        s.line("@JsonProperty(\"" + m.name() + "\")");
        s.line("public " + javaType(m) + " " + f + "() {");
        s.line("    return " + f + ";");
        s.line("}");
    }

    private static void factories(Source s, String name) {
        s.line("");
        s.line("/**");
        s.line(" * Starts an empty builder.");
        s.line(" *");
        s.line(" * @return a new builder");
        s.line(" */");
        s.line("public static Builder builder() {");
        s.line("    return new Builder();");
        s.line("}");
        s.line("");
        s.line("/**");
        s.line(" * Starts a builder holding this instance's values.");
        s.line(" *");
        s.line(" * @return a new builder");
        s.line(" */");
        s.line("public Builder toBuilder() {");
        s.line("    return new Builder(this);");
        s.line("}");
    }

    private void collectMissing(Source s, List<Spec.Member> members) {
        s.line("");
        s.line("@Override");
        s.line("public void collectMissingRequired(String path, List<String> missing) {");
        s.indent();
        for (Spec.Member m : members) {
            String f = JavaNames.member(m.name());
            boolean nested = isObject(m);
            if (m.required()) {
                s.line("if (" + f + " == null) {");
                s.line("    missing.add(path + \"" + m.name() + "\");");
                s.line("}" + (nested ? " else {" : ""));
                if (nested) {
                    s.indent();
                    nestedCheck(s, m, f);
                    s.outdent();
                    s.line("}");
                }
            } else if (nested) {
                s.line("if (" + f + " != null) {");
                s.indent();
                nestedCheck(s, m, f);
                s.outdent();
                s.line("}");
            }
        }
        s.outdent();
        s.line("}");
    }

    private static void nestedCheck(Source s, Spec.Member m, String f) {
        if ("list".equals(m.type())) {
            s.line("for (int i = 0; i < " + f + ".size(); i++) {");
            s.line("    if (" + f + ".get(i) != null) {");
            s.line("        " + f + ".get(i).collectMissingRequired(path + \"" + m.name() + "[\" + i + \"].\", missing);");
            s.line("    }");
            s.line("}");
        } else {
            s.line(f + ".collectMissingRequired(path + \"" + m.name() + ".\", missing);");
        }
    }

    private boolean isObject(Spec.Member m) {
        return m.element() != null && spec.objects().containsKey(m.element());
    }

    private static void equalsHashCode(Source s, String name, List<Spec.Member> members) {
        s.line("");
        s.line("@Override");
        s.line("public boolean equals(Object other) {");
        s.indent();
        s.line("if (this == other) {");
        s.line("    return true;");
        s.line("}");
        if (members.isEmpty()) {
            s.line("return other instanceof " + name + ";");
        } else {
            s.line("if (!(other instanceof " + name + " that)) {");
            s.line("    return false;");
            s.line("}");
            StringBuilder expr = new StringBuilder("return ");
            for (int i = 0; i < members.size(); i++) {
                String f = JavaNames.member(members.get(i).name());
                expr.append(i == 0 ? "" : "\n        && ").append("Objects.equals(this.").append(f).append(", that.")
                        .append(f).append(")");
            }
            s.line(expr + ";");
        }
        s.outdent();
        s.line("}");
        s.line("");
        s.line("@Override");
        s.line("public int hashCode() {");
        StringBuilder args = new StringBuilder();
        for (Spec.Member m : members) {
            args.append(args.length() == 0 ? "" : ", ").append("this.").append(JavaNames.member(m.name()));
        }
        s.line("    return Objects.hash(" + args + ");");
        s.line("}");
    }

    private void toStringMethod(Source s, String name, List<Spec.Member> members) {
        s.line("");
        s.line("/** Lists the members that are set; secret members print as {@code ***}. */");
        s.line("@Override");
        s.line("public String toString() {");
        s.indent();
        // Fields are read through "this." so that no member name can be shadowed by the locals.
        s.line("StringBuilder printed = new StringBuilder(\"" + name + "{\");");
        s.line("String separator = \"\";");
        for (Spec.Member m : members) {
            String f = JavaNames.member(m.name());
            String value = secrets.contains(m.name()) ? "\"***\"" : "this." + f;
            s.line("if (this." + f + " != null) {");
            s.line("    printed.append(separator).append(\"" + f + "=\").append(" + value + ");");
            s.line("    separator = \", \";");
            s.line("}");
        }
        s.line("return printed.append('}').toString();");
        s.outdent();
        s.line("}");
    }

    private static void builder(Source s, String name, List<Spec.Member> members) {
        s.line("");
        s.line("/** Collects the values of a {@link " + name + "}; not thread-safe. */");
        s.line("@JsonPOJOBuilder(withPrefix = \"\")");
        s.line("@JsonIgnoreProperties(ignoreUnknown = true)");
        s.line("public static final class Builder {");
        s.indent();
        declareFields(s, members, "private ");
        s.line("");
        s.line("private Builder() {}");
        s.line("");
        copyConstructor(s, "Builder", name + " source", "source", members);
        for (Spec.Member m : members) {
            String f = JavaNames.member(m.name());
            s.line("");
            s.line("/**");
            s.line(" * Sets the {@code " + m.name() + "} member.");
            s.line(" *");
            s.line(" * @param " + f + " the value, or {@code null} to leave it out");
            s.line(" * @return this builder");
            if (Boolean.TRUE.equals(m.deprecated())) {
                s.line(" * @deprecated the service marks this member as no longer in use");
            }
            s.line(" */");
            if (Boolean.TRUE.equals(m.deprecated())) {
                s.line("@Deprecated");
            }
            s.line("@JsonProperty(\"" + m.name() + "\")");
            s.line("public Builder " + f + "(" + javaType(m) + " " + f + ") {");
            if ("list".equals(m.type())) {
                s.line("    this." + f + " = " + f + " == null ? null : ModelLists.copyOf(" + f + ");");
            } else {
                s.line("    this." + f + " = " + f + ";");
            }
            s.line("    return this;");
            s.line("}");
        }
        s.line("");
        s.line("/**");
        s.line(" * Creates the immutable instance; required members are checked when a request is sent.");
        s.line(" *");
        s.line(" * @return a new {@link " + name + "}");
        s.line(" */");
        s.line("public " + name + " build() {");
        s.line("    return new " + name + "(this);");
        s.line("}");
        s.outdent();
        s.line("}");
    }

    private static void declareFields(Source s, List<Spec.Member> members, String modifiers) {
        for (Spec.Member m : members) {
            s.line(modifiers + javaType(m) + " " + JavaNames.member(m.name()) + ";");
        }
    }

    /** A private constructor copying every member from {@code from}, a builder or an instance. */
    private static void copyConstructor(Source s, String type, String parameter, String from,
            List<Spec.Member> members) {
        s.line("private " + type + "(" + parameter + ") {");
        s.indent();
        for (Spec.Member m : members) {
            String f = JavaNames.member(m.name());
            s.line("this." + f + " = " + from + "." + f + ";");
        }
        s.outdent();
        s.line("}");
    }

    static String javaType(Spec.Member m) {
        return switch (m.type()) {
            case "list" -> "List<" + scalarOrObject(m.element()) + ">";
            case "object" -> m.element();
            default -> scalarOrObject(m.type());
        };
    }

    private static String scalarOrObject(String type) {
        if (type.startsWith("[") && type.endsWith("]")) {
            return "List<" + scalarOrObject(type.substring(1, type.length() - 1)) + ">";
        }
        return switch (type) {
            case "string", "date" -> "String";
            case "int" -> "Long";
            case "float" -> "Double";
            case "bool" -> "Boolean";
            default -> type;
        };
    }
}
