package io.github.trtcreactive.codegen;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Writes {@code TrtcOperations}: one client method per action, each documented from the spec's facts. */
final class OperationsWriter {

    static final String PACKAGE = "io.github.trtcreactive.reactor";

    String write(Spec spec) {
        Source s = new Source();
        s.header(PACKAGE);
        s.line("import io.github.trtcreactive.core.model.*;");
        s.line("import javax.annotation.processing.Generated;");
        s.line("import reactor.core.publisher.Flux;");
        s.line("import reactor.core.publisher.Mono;");
        s.line("");
        s.line("/**");
        s.line(" * Every action of TRTC API " + spec.version() + " as a method: {@code Mono<XResponse> x(XRequest)}.");
        s.line(" *");
        s.line(" * <p>Each method returns a cold {@link Mono}: the request is validated, signed and sent on");
        s.line(" * subscription, once per subscription. Besides the codes each method names, every call can end with");
        s.line(" * {@link io.github.trtcreactive.core.error.TrtcServiceException} carrying a common code");
        s.line(" * ({@code AuthFailure.*}, {@code RequestLimitExceeded}, {@code InternalError}, ...),");
        s.line(" * {@link io.github.trtcreactive.core.error.TrtcValidationException} when a required member is missing");
        s.line(" * (nothing is sent), {@link io.github.trtcreactive.core.error.TrtcTimeoutException} when no reply");
        s.line(" * arrives in time, and {@link io.github.trtcreactive.core.error.TrtcClientException} for other");
        s.line(" * transport or decoding failures.");
        s.line(" */");
        s.line("@Generated(\"trtc-codegen\")");
        s.line("public abstract class TrtcOperations {");
        s.indent();
        s.line("");
        s.line("TrtcOperations() {}");
        s.line("");
        s.line("/**");
        s.line(" * Validates, signs and sends one typed call on subscription.");
        s.line(" *");
        s.line(" * @param <R> the response type");
        s.line(" * @param action the action name");
        s.line(" * @param request the request");
        s.line(" * @param responseType the response class");
        s.line(" * @return the decoded response, on subscription");
        s.line(" */");
        s.line("abstract <R extends TrtcResponse> Mono<R> invoke(String action, TrtcRequest request, Class<R> responseType);");
        s.line("");
        s.line("/**");
        s.line(" * Validates, signs and sends one call whose reply is a stream of server-sent events.");
        s.line(" *");
        s.line(" * @param action the action name");
        s.line(" * @param request the request");
        s.line(" * @return the events as they arrive, on subscription");
        s.line(" */");
        s.line("abstract Flux<TextToSpeechEvent> invokeEvents(String action, TrtcRequest request);");
        for (Map.Entry<String, Spec.Action> e : spec.actions().entrySet()) {
            method(s, spec, e.getKey(), e.getValue());
        }
        s.outdent();
        s.line("}");
        return s.toString();
    }

    private static void method(Source s, Spec spec, String name, Spec.Action a) {
        s.line("");
        s.line("/**");
        s.line(" * " + a.summary());
        s.line(" *");
        s.line(" * <p>Action {@code " + name + "}, documented on " + Source.sites(a.sites()) + ".");
        s.line(" * Rate limit: " + limit(a.rateLimit()) + ".");
        s.line(" * Regions: " + regions(a.regions()) + ".");
        if (a.family() != null) {
            s.line(" * Task role: " + a.role() + " of the " + a.family() + " family.");
        }
        if (a.documentation() != null) {
            s.line(" * Official page: <a href=\"" + a.documentation().replace("&", "&amp;") + "\">" + name + "</a>.");
        }
        if (a.errors() != null && !a.errors().isEmpty()) {
            s.doc(" * ", "Error codes its page lists: {@link io.github.trtcreactive.core.error.TrtcErrorCodes." + name
                    + "} ({@code " + String.join("}, {@code ", a.errors()) + "}).");
        }
        s.line(" *");
        List<String> required = required(spec, a.input());
        s.line(" * @param request the input" + (required.isEmpty() ? "; no member is required"
                : "; required: " + String.join(", ", required)));
        s.line("sse".equals(a.streaming()) ? " * @return the events, each as soon as it arrives, on subscription"
                : " * @return the output, on subscription");
        if (Boolean.TRUE.equals(a.deprecated())) {
            s.line(" * @deprecated the service marks this action as deprecated");
        }
        s.line(" */");
        if (Boolean.TRUE.equals(a.deprecated())) {
            s.line("@Deprecated");
        }
        if ("sse".equals(a.streaming())) {
            s.line("public Flux<TextToSpeechEvent> " + methodName(name) + "(" + a.input() + " request) {");
            s.line("    return invokeEvents(\"" + name + "\", request);");
        } else {
            s.line("public Mono<" + a.output() + "> " + methodName(name) + "(" + a.input() + " request) {");
            s.line("    return invoke(\"" + name + "\", request, " + a.output() + ".class);");
        }
        s.line("}");
    }

    /** The client method of an action: its name with the first letter lower-cased. */
    static String methodName(String action) {
        return Character.toLowerCase(action.charAt(0)) + action.substring(1);
    }

    private static List<String> required(Spec spec, String input) {
        List<String> names = new ArrayList<>();
        for (Spec.Member m : spec.objects().get(input).members()) {
            if (m.required()) {
                names.add(m.name());
            }
        }
        return names;
    }

    private static String limit(Spec.RateLimit l) {
        String rate = l.periodSeconds() == 1 ? l.permits() + " calls per second"
                : l.permits() + " call" + (l.permits() == 1 ? "" : "s") + " every " + l.periodSeconds() + " seconds";
        return rate + " per account (" + l.basis().toLowerCase(Locale.ROOT) + ")";
    }

    private static String regions(List<String> regions) {
        if (regions == null) {
            return "not stated by the documentation";
        }
        return regions.isEmpty() ? "none needed" : String.join(", ", regions);
    }
}
