package io.github.trtcreactive.codegen;

import java.util.Locale;
import java.util.Map;

/** Writes the action table of the catalogue: name, rate limit, sites, task family, role and regions of every action. */
final class CatalogueWriter {

    static final String PACKAGE = "io.github.trtcreactive.core.catalog";

    String write(Spec spec) {
        Source s = new Source();
        s.header(PACKAGE);
        s.line("import java.util.List;");
        s.line("import javax.annotation.processing.Generated;");
        s.line("");
        s.line("/** The " + spec.actions().size() + " actions of TRTC API " + spec.version() + ", as the spec lists them. */");
        s.line("@Generated(\"trtc-codegen\")");
        s.line("final class ActionTable {");
        s.indent();
        s.line("");
        s.line("private ActionTable() {}");
        s.line("");
        s.line("static List<TrtcAction> actions() {");
        s.indent();
        s.line("return List.of(");
        s.indent();
        int i = 0;
        for (Map.Entry<String, Spec.Action> e : spec.actions().entrySet()) {
            Spec.Action a = e.getValue();
            Spec.RateLimit l = a.rateLimit();
            String limit = "new RateLimit(" + l.permits() + ", java.time.Duration.ofSeconds(" + l.periodSeconds()
                    + "), RateLimit.Basis." + l.basis().toUpperCase(Locale.ROOT) + ")";
            String sites = "Site.setOf(" + a.sites().contains(Spec.INTL) + ", " + a.sites().contains(Spec.CN) + ")";
            String family = a.family() == null ? "null" : "TaskFamily." + a.family();
            String role = a.role() == null ? "null" : "TaskRole." + a.role();
            String regions = a.regions() == null ? "null" : a.regions().isEmpty() ? "List.of()"
                    : "List.of(\"" + String.join("\", \"", a.regions()) + "\")";
            boolean last = ++i == spec.actions().size();
            s.line("new TrtcAction(\"" + e.getKey() + "\", " + limit + ",\n        " + sites + ", " + family + ", "
                    + role + ", " + Boolean.TRUE.equals(a.deprecated()) + ",\n        " + regions + ")"
                    + (last ? ");" : ","));
        }
        s.outdent();
        s.outdent();
        s.line("}");
        s.outdent();
        s.line("}");
        return s.toString();
    }
}
