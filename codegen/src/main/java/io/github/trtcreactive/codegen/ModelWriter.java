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

    /**
     * Writes a value set shared by several members, after checking that every member using it
     * documents the same values with the same names and meanings.
     *
     * @param name the shared type's name
     * @param users the members using it, by {@code Type.Member}
     * @return the source
     */
    String writeSharedValueSet(String name, java.util.Map<String, Spec.Member> users) {
        Spec.Member first = users.values().iterator().next();
        for (java.util.Map.Entry<String, Spec.Member> user : users.entrySet()) {
            if (!user.getValue().facts().values().equals(first.facts().values())
                    || !user.getValue().type().equals(first.type())) {
                throw new IllegalStateException("value set " + name + ": " + user.getKey() + " documents other values");
            }
        }
        if (spec.objects().containsKey(name)) {
            throw new IllegalStateException("value set " + name + " has the name of a model type");
        }
        Source s = new Source();
        s.header(PACKAGE);
        s.line("import java.util.List;");
        s.line("import javax.annotation.processing.Generated;");
        List<String> links = users.keySet().stream().map(k -> "{@code " + k + "}").toList();
        valueSet(s, name, String.join(", ", links), first, false);
        return s.toString();
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
        s.line(" * " + summary(name, type));
        String link = docLink(name, type);
        if (link != null) {
            s.line(" *");
            s.line(" * <p>" + link);
        }
        if (!type.rules().isEmpty()) {
            s.line(" *");
            s.line(" * <p>Rules between members, checked before sending with {@code Validation.DOCUMENTED}:");
            s.line(" * <ul>");
            for (Spec.Rule rule : type.rules()) {
                boolean list = type.members().stream().anyMatch(m -> m.name().equals(rule.members().get(0)) && "list".equals(m.type()));
                s.line(" *   <li>" + ruleWords(rule, list) + "</li>");
            }
            s.line(" * </ul>");
        }
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
            accessor(s, name, m);
        }
        for (Spec.Member m : members) {
            if (hasValueSet(m) && m.facts().valueSet() == null) {
                valueSet(s, valueSetName(m), "the {@code " + m.name() + "} member of {@link " + name + "}", m, true);
            }
        }
        factories(s, name);
        check(s, name, type, members);
        equalsHashCode(s, name, members);
        toStringMethod(s, name, members);
        builder(s, name, type, members);
        s.outdent();
        s.line("}");
        return s.toString();
    }

    /** A rule between members, in words, for the type's Javadoc. */
    static String ruleWords(Spec.Rule rule, boolean list) {
        String when = rule.when() == null ? "" : " when {@code " + rule.when() + "} is set";
        String text = switch (rule.kind()) {
            case "period" -> "{@code " + rule.members().get(1) + "} is not before {@code " + rule.members().get(0)
                    + "} and at most " + words(rule.max()) + " after it" + when + " (each "
                    + formWords(rule.format()) + ")";
            case "product" -> "{@code " + rule.members().get(0) + "} &times; {@code " + rule.members().get(1)
                    + "} is at most " + (rule.label() == null ? String.valueOf(rule.max()) : rule.label().replace("×", "&times;"));
            default -> "{@code " + rule.members().get(0) + "} " + (list ? "holds at most " + rule.max() + " elements"
                    : "is at most " + rule.max()) + when;
        };
        return text + (rule.sites() != null && rule.sites().size() == 1 ? ", documented on " + Source.sites(rule.sites()) : "") + ".";
    }

    /** How a form of time reads (core's {@code TimeFormat} says the same in its refusals). */
    private static String formWords(String format) {
        return switch (format) {
            case "EPOCH_SECONDS" -> "a Unix time in seconds";
            case "DATE" -> "a date in the form YYYY-MM-DD";
            case "DATE_TIME" -> "a date and time in the form YYYY-MM-DD HH:mm:ss";
            default -> throw new IllegalStateException("unknown form of time: " + format);
        };
    }

    /** A number of seconds in the largest whole unit, as core's {@code TimeFormat.words} says it. */
    static String words(long seconds) {
        long[] sizes = {86_400, 3_600, 60, 1};
        String[] units = {"day", "hour", "minute", "second"};
        for (int i = 0; i < sizes.length; i++) {
            if (seconds > 0 && seconds % sizes[i] == 0 || i == sizes.length - 1) {
                long n = seconds / sizes[i];
                return n + " " + units[i] + (n == 1 ? "" : "s");
            }
        }
        throw new AssertionError();
    }

    private String summary(String name, Spec.ObjectType type) {
        return switch (type.kind()) {
            case "request" -> "The input of {@code " + action(name, "Request") + "}: " + lower(actionSummary(name, "Request"));
            case "response" -> "The output of {@code " + action(name, "Response") + "}, whose call "
                    + lower(actionSummary(name, "Response"));
            default -> "The {@code " + name + "} structure of the TRTC API" + usedBy(name) + ".";
        };
    }

    private String actionSummary(String name, String suffix) {
        Spec.Action action = spec.actions().get(action(name, suffix));
        return action == null ? "see the action." : action.summary();
    }

    private static String lower(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toLowerCase(sentence.charAt(0)) + sentence.substring(1);
    }

    /** Where a data type appears: the request or response types that hold it directly. */
    private String usedBy(String name) {
        java.util.TreeSet<String> owners = new java.util.TreeSet<>();
        spec.objects().forEach((owner, t) -> t.members().forEach(m -> {
            if (m.element() != null && m.element().replace("[", "").replace("]", "").equals(name)) {
                owners.add(owner);
            }
        }));
        if (owners.isEmpty()) {
            return "";
        }
        List<String> shown = owners.stream().limit(3).map(o -> "{@link " + o + "}").toList();
        return ", held by " + String.join(", ", shown) + (owners.size() > 3 ? " and " + (owners.size() - 3) + " more" : "");
    }

    /** The action's official page, when the spec knows it. */
    private String docLink(String name, Spec.ObjectType type) {
        String suffix = "request".equals(type.kind()) ? "Request" : "response".equals(type.kind()) ? "Response" : null;
        if (suffix == null) {
            return null;
        }
        Spec.Action action = spec.actions().get(action(name, suffix));
        return action == null || action.documentation() == null ? null
                : "Official page: <a href=\"" + action.documentation().replace("&", "&amp;") + "\">" + action(name, suffix) + "</a>.";
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

    private void accessor(Source s, String owner, Spec.Member m) {
        String f = JavaNames.member(m.name());
        s.line("");
        s.line("/**");
        s.line(" * The {@code " + m.name() + "} member" + (m.required() ? ", required" : "") + ".");
        facts(s, owner, m);
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

    /** The member's facts as Javadoc paragraphs, in this project's words. */
    private void facts(Source s, String owner, Spec.Member m) {
        List<String> lines = factSentences(owner, m);
        if (!lines.isEmpty()) {
            s.line(" *");
            s.doc(" * <p>", String.join(" ", lines));
        }
    }

    List<String> factSentences(String owner, Spec.Member m) {
        List<String> out = new java.util.ArrayList<>();
        Spec.Facts f = m.facts();
        if (f != null) {
            if (f.unit() != null) {
                out.add("Unit: " + unitName(f.unit()) + ".");
            }
            if (f.min() != null && f.max() != null) {
                out.add("Documented range: " + f.min() + " to " + f.max() + ".");
            } else if (f.min() != null) {
                out.add("Documented minimum: " + f.min() + ".");
            } else if (f.max() != null) {
                out.add("Documented maximum: " + f.max() + ".");
            }
            if (f.maxLength() != null) {
                out.add("At most " + f.maxLength() + " characters.");
            }
            if (f.maxItems() != null) {
                out.add("At most " + f.maxItems() + " elements.");
            }
            if (f.values() != null) {
                if (hasValueSet(m)) {
                    String set = valueSetName(m);
                    List<String> each = new java.util.ArrayList<>();
                    for (Spec.Value v : f.values()) {
                        each.add("{@code " + v.value() + "} ({@link " + set + "#" + v.name() + "}: " + v.meaning() + ")");
                    }
                    out.add("Values: " + String.join(", ", each) + ".");
                } else {
                    out.add("Values the documentation lists: " + f.values().stream().map(Spec.Value::value)
                            .collect(java.util.stream.Collectors.joining(", ")) + ".");
                }
            }
            if (f.defaultValue() != null) {
                out.add("When left out, the service assumes " + f.defaultValue() + ".");
            }
            if (f.notes() != null) {
                for (String note : f.notes()) {
                    out.add("Uncertain: " + note + ".");
                }
            }
            if (f.checked() != null) {
                List<String> certain = new java.util.ArrayList<>();
                List<String> documented = new java.util.ArrayList<>();
                for (String c : f.checked()) {
                    switch (c) {
                        case "maxItems" -> certain.add("its length");
                        case "values" -> documented.add("its value set");
                        case "maxLength" -> documented.add("its length");
                        default -> {
                            if (!documented.contains("its range")) {
                                documented.add("its range");
                            }
                        }
                    }
                }
                if (!certain.isEmpty()) {
                    out.add("Checked before sending: " + String.join(" and ", certain) + ".");
                }
                if (!documented.isEmpty()) {
                    out.add("Checked before sending with {@code Validation.DOCUMENTED}: " + String.join(" and ", documented) + ".");
                }
            }
        }
        if (m.sites() != null && m.sites().size() == 1) {
            out.add("Documented on " + Source.sites(m.sites()) + ".");
        }
        Spec.ObjectType ownerType = spec.objects().get(owner);
        if (ownerType != null && ownerType.rules().stream().anyMatch(r -> r.members().contains(m.name()))) {
            out.add("Also bound by a rule between members, stated on the type.");
        }
        if (roomIdRule(owner) && m.name().equals("RoomId")) {
            out.add("With {@code Validation.DOCUMENTED}, an integer room (see {@code RoomIdType}) must have a decimal id"
                    + " from 1 to 4294967295.");
        }
        return out;
    }

    private static String unitName(String unit) {
        return switch (unit) {
            case "s" -> "seconds";
            case "ms" -> "milliseconds";
            case "min" -> "minutes";
            case "h" -> "hours";
            case "d" -> "days";
            case "bytes" -> "bytes";
            case "px" -> "pixels";
            case "kbps" -> "kbit/s";
            case "bps" -> "bit/s";
            case "Hz" -> "hertz";
            case "frames" -> "frames";
            case "%" -> "percent";
            default -> unit;
        };
    }

    /** Whether the member's documented values are all named: it then has a value-set type. */
    static boolean hasValueSet(Spec.Member m) {
        return m.facts() != null && m.facts().values() != null && !m.facts().values().isEmpty()
                && m.facts().values().stream().allMatch(v -> v.name() != null && v.meaning() != null)
                && ("int".equals(m.type()) || "string".equals(m.type()));
    }

    /** The value-set type's name: the shared name, else the member's, else with "Values" when that names a model type. */
    String valueSetName(Spec.Member m) {
        if (m.facts().valueSet() != null) {
            return m.facts().valueSet();
        }
        return spec.objects().containsKey(m.name()) ? m.name() + "Values" : m.name();
    }

    /** Whether the type holds a string RoomId and a RoomIdType value set with an INTEGER value. */
    boolean roomIdRule(String owner) {
        Spec.ObjectType t = spec.objects().get(owner);
        if (t == null) {
            return false;
        }
        boolean stringId = t.members().stream().anyMatch(m -> m.name().equals("RoomId") && "string".equals(m.type()));
        return stringId && t.members().stream().anyMatch(m -> m.name().equals("RoomIdType") && hasValueSet(m)
                && m.facts().values().stream().anyMatch(v -> "INTEGER".equals(v.name())));
    }

    /**
     * Writes an open value set: a constant per documented value, and {@code of} for values this
     * version does not know.
     */
    void valueSet(Source s, String name, String owner, Spec.Member m, boolean nested) {
        boolean numeric = "int".equals(m.type());
        String raw = numeric ? "long" : "String";
        String boxed = numeric ? "Long" : "String";
        s.line("");
        s.line("/**");
        s.line(" * The documented values of " + owner + ", as open constants: {@link #of(" + raw + ")} also takes");
        s.line(" * values this version does not know (the service adds values).");
        s.line(" */");
        if (!nested) {
            s.line("@Generated(\"trtc-codegen\")");
        }
        s.line("public " + (nested ? "static " : "") + "final class " + name + " extends DocumentedValue<" + boxed + "> {");
        s.indent();
        for (Spec.Value v : m.facts().values()) {
            s.line("");
            s.line("/** {@code " + v.value() + "}: " + v.meaning() + ". */");
            s.line("public static final " + name + " " + v.name() + " = new " + name + "("
                    + (numeric ? v.value() + "L" : "\"" + v.value() + "\"") + ", \"" + v.name() + "\");");
        }
        s.line("");
        s.line("private static final List<" + name + "> KNOWN = List.of("
                + m.facts().values().stream().map(Spec.Value::name).collect(java.util.stream.Collectors.joining(", ")) + ");");
        s.line("");
        s.line("private " + name + "(" + boxed + " value, String name) {");
        s.line("    super(value, name);");
        s.line("}");
        s.line("");
        s.line("/**");
        s.line(" * The constant for a value: a documented one, or a new instance for a value this version does not know.");
        s.line(" *");
        s.line(" * @param value the value as sent");
        s.line(" * @return its constant");
        s.line(" */");
        s.line("public static " + name + " of(" + raw + " value) {");
        s.line("    for (" + name + " known : KNOWN) {");
        s.line(numeric ? "        if (known.value() == value) {" : "        if (known.value().equals(value)) {");
        s.line("            return known;");
        s.line("        }");
        s.line("    }");
        s.line("    return new " + name + "(value, null);");
        s.line("}");
        s.line("");
        s.line("/** {@return the documented values, in the documentation's order} */");
        s.line("public static List<" + name + "> known() {");
        s.line("    return KNOWN;");
        s.line("}");
        s.outdent();
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

    private static String valuesConstant(Spec.Member m) {
        return JavaNames.member(m.name()).replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT)
                + "_VALUES";
    }

    private void check(Source s, String name, Spec.ObjectType type, List<Spec.Member> members) {
        for (Spec.Member m : members) {
            if (m.facts() != null && m.facts().checked() != null && m.facts().checked().contains("values")) {
                String list = m.facts().values().stream()
                        .map(v -> "int".equals(m.type()) ? v.value() + "L" : "\"" + v.value() + "\"")
                        .collect(java.util.stream.Collectors.joining(", "));
                s.line("");
                s.line("private static final List<" + ("int".equals(m.type()) ? "Long" : "String") + "> "
                        + valuesConstant(m) + " = List.of(" + list + ");");
            }
        }
        s.line("");
        s.line("@Override");
        s.line("public void check(String path, ModelChecks checks) {");
        s.indent();
        for (Spec.Member m : members) {
            String f = "this." + JavaNames.member(m.name());
            String at = "path + \"" + m.name() + "\"";
            Spec.Facts facts = m.facts();
            java.util.Set<String> checked = facts == null || facts.checked() == null ? java.util.Set.of()
                    : java.util.Set.copyOf(facts.checked());
            if (m.required()) {
                s.line("checks.required(" + at + ", " + f + ");");
            }
            if ("list".equals(m.type())) {
                s.line("checks.list(" + at + ", " + f + ", " + (checked.contains("maxItems") ? facts.maxItems() : -1) + ");");
            }
            if (checked.contains("min") || checked.contains("max")) {
                s.line("checks.range(" + at + ", " + f + ", " + (checked.contains("min") ? facts.min() + "L" : "Long.MIN_VALUE")
                        + ", " + (checked.contains("max") ? facts.max() + "L" : "Long.MAX_VALUE") + ");");
            }
            if (checked.contains("values")) {
                s.line("checks.oneOf(" + at + ", " + f + ", " + valuesConstant(m) + ");");
            }
            if (checked.contains("maxLength")) {
                s.line("checks.length(" + at + ", " + f + ", " + facts.maxLength() + ", " + secrets.contains(m.name()) + ");");
            }
            if (isObject(m)) {
                if ("list".equals(m.type())) {
                    s.line("if (" + f + " != null) {");
                    s.line("    for (int i = 0; i < " + f + ".size(); i++) {");
                    s.line("        if (" + f + ".get(i) != null) {");
                    s.line("            " + f + ".get(i).check(path + \"" + m.name() + "[\" + i + \"].\", checks);");
                    s.line("        }");
                    s.line("    }");
                    s.line("}");
                } else {
                    s.line("if (" + f + " != null) {");
                    s.line("    " + f + ".check(path + \"" + m.name() + ".\", checks);");
                    s.line("}");
                }
            }
        }
        if (roomIdRule(name)) {
            Spec.Member typeMember = members.stream().filter(m -> m.name().equals("RoomIdType")).findFirst().orElseThrow();
            String integer = typeMember.facts().values().stream().filter(v -> "INTEGER".equals(v.name())).findFirst()
                    .orElseThrow().value();
            String assumed = typeMember.facts().defaultValue();
            String effective = assumed == null ? "this.roomIdType"
                    : "(this.roomIdType == null ? Long.valueOf(" + assumed + "L) : this.roomIdType)";
            s.line("if (checks.documented() && this.roomId != null && Long.valueOf(" + integer + "L).equals(" + effective + ")) {");
            s.line("    checks.rule(path + \"RoomId\", this.roomId.matches(\"[1-9][0-9]{0,9}\") && Long.parseLong(this.roomId) <= 4294967295L,");
            s.line("            \"with RoomIdType " + integer + " (an integer room) the id must be a decimal integer from 1 to 4294967295\",");
            s.line("            this.roomId);");
            s.line("}");
        }
        for (Spec.Rule rule : type.rules()) {
            ruleCheck(s, rule);
        }
        s.outdent();
        s.line("}");
    }

    private static void ruleCheck(Source s, Spec.Rule rule) {
        String condition = rule.when() == null ? "" : "when " + rule.when() + " is set";
        if (rule.when() != null) {
            s.line("if (this." + JavaNames.member(rule.when()) + " != null) {");
            s.indent();
        }
        List<String> m = rule.members();
        switch (rule.kind()) {
            case "period" -> s.line("checks.period(path, \"" + m.get(0) + "\", this." + JavaNames.member(m.get(0)) + ", \""
                    + m.get(1) + "\", this." + JavaNames.member(m.get(1)) + ", TimeFormat." + rule.format() + ", "
                    + rule.max() + "L, \"" + condition + "\");");
            case "product" -> s.line("checks.product(path, \"" + m.get(0) + "\", this." + JavaNames.member(m.get(0)) + ", \""
                    + m.get(1) + "\", this." + JavaNames.member(m.get(1)) + ", " + rule.max() + "L, \""
                    + ascii(rule.label() == null ? String.valueOf(rule.max()) : rule.label()) + "\");");
            default -> s.line("checks.atMost(path + \"" + m.get(0) + "\", this." + JavaNames.member(m.get(0)) + ", "
                    + rule.max() + "L, \"" + condition + "\");");
        }
        if (rule.when() != null) {
            s.outdent();
            s.line("}");
        }
    }

    /** A Java string literal's content with non-ASCII characters escaped. */
    private static String ascii(String text) {
        StringBuilder b = new StringBuilder();
        text.chars().forEach(c -> b.append(c < 128 ? String.valueOf((char) c) : String.format("\\u%04x", c)));
        return b.toString();
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

    private void builder(Source s, String name, Spec.ObjectType type, List<Spec.Member> members) {
        boolean request = "request".equals(type.kind());
        s.line("");
        s.line("/**");
        s.line(" * Collects the values of a {@link " + name + "}; not thread-safe. Each boxed setter has a primitive");
        s.line(" * overload for literals; {@code null} leaves a member out.");
        s.line(" */");
        s.line("@JsonPOJOBuilder(withPrefix = \"\")");
        s.line("@JsonIgnoreProperties(ignoreUnknown = true)");
        s.line("@JsonAutoDetect(setterVisibility = JsonAutoDetect.Visibility.NONE)");
        s.line("public static final class Builder {");
        s.indent();
        declareFields(s, members, "private ");
        s.line("");
        s.line("private Builder() {}");
        s.line("");
        copyConstructor(s, "Builder", name + " source", "source", members);
        for (Spec.Member m : members) {
            String f = JavaNames.member(m.name());
            setterDoc(s, name, m, "the value, or {@code null} to leave it out");
            s.line("@JsonProperty(\"" + m.name() + "\")");
            s.line("public Builder " + f + "(" + javaType(m) + " " + f + ") {");
            if ("list".equals(m.type())) {
                if (request) {
                    s.line("    this." + f + " = " + f + " == null ? null : ModelLists.copyOfRequest(\""
                            + action(name, "Request") + "\", \"" + m.name() + "\", " + f + ");");
                } else {
                    s.line("    this." + f + " = " + f + " == null ? null : ModelLists.copyOf(" + f + ");");
                }
            } else {
                s.line("    this." + f + " = " + f + ";");
            }
            s.line("    return this;");
            s.line("}");
            String primitive = switch (m.type()) {
                case "int" -> "long";
                case "float" -> "double";
                case "bool" -> "boolean";
                default -> null;
            };
            if (primitive != null) {
                setterDoc(s, name, m, "the value");
                s.line("public Builder " + f + "(" + primitive + " " + f + ") {");
                s.line("    this." + f + " = " + f + ";");
                s.line("    return this;");
                s.line("}");
            }
            if (hasValueSet(m)) {
                String set = valueSetName(m);
                setterDoc(s, name, m, "one of the documented values, or another {@link " + set + "#of}; {@code null} to leave it out");
                s.line("public Builder " + f + "(" + set + " " + f + ") {");
                s.line("    this." + f + " = " + f + " == null ? null : " + f + ".value();");
                s.line("    return this;");
                s.line("}");
            }
        }
        s.line("");
        s.line("/**");
        s.line(" * Creates the immutable instance; required members and documented constraints are checked when a");
        s.line(" * request is sent.");
        s.line(" *");
        s.line(" * @return a new {@link " + name + "}");
        s.line(" */");
        s.line("public " + name + " build() {");
        s.line("    return new " + name + "(this);");
        s.line("}");
        s.outdent();
        s.line("}");
    }

    private void setterDoc(Source s, String owner, Spec.Member m, String param) {
        String f = JavaNames.member(m.name());
        s.line("");
        s.line("/**");
        s.line(" * Sets the {@code " + m.name() + "} member" + (m.required() ? ", required" : "") + ".");
        facts(s, owner, m);
        if ("list".equals(m.type()) && owner.endsWith("Request") && "request".equals(spec.objects().get(owner).kind())) {
            s.line(" *");
            s.line(" * <p>A list holding {@code null} is refused here with {@code TrtcValidationException}.");
        }
        s.line(" *");
        s.line(" * @param " + f + " " + param);
        s.line(" * @return this builder");
        if (Boolean.TRUE.equals(m.deprecated())) {
            s.line(" * @deprecated the service marks this member as no longer in use");
        }
        s.line(" */");
        if (Boolean.TRUE.equals(m.deprecated())) {
            s.line("@Deprecated");
        }
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
