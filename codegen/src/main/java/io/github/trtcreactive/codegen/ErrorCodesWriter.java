package io.github.trtcreactive.codegen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes {@code TrtcErrorCodes}: a constant for every error code the documentation lists, grouped as
 * it groups them (the common codes, the service's own, and each action's), each described by its
 * family in this project's words and by what the default retry policy does with it.
 */
final class ErrorCodesWriter {

    static final String PACKAGE = "io.github.trtcreactive.core.error";
    static final String CLASS = "TrtcErrorCodes";

    /** What each family of codes means, in a few words of our own. */
    private static final Map<String, String> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put("ActionOffline", "the action is no longer offered");
        FAMILIES.put("AuthFailure", "the caller's identity or signature was refused");
        FAMILIES.put("DryRunOperation", "a dry run that would have succeeded");
        FAMILIES.put("FailedOperation", "the service refused the operation in the present state");
        FAMILIES.put("InternalError", "the service failed internally");
        FAMILIES.put("InvalidAction", "the action does not exist");
        FAMILIES.put("InvalidParameter", "a member was refused");
        FAMILIES.put("InvalidParameterValue", "a member's value was refused");
        FAMILIES.put("InvalidRequest", "the request could not be parsed");
        FAMILIES.put("IpInBlacklist", "the caller's address is blocked for the account");
        FAMILIES.put("IpNotInWhitelist", "the caller's address is not allowed for the account");
        FAMILIES.put("LimitExceeded", "a quota (not a rate) is used up");
        FAMILIES.put("MissingParameter", "a required member was missing");
        FAMILIES.put("NoSuchProduct", "the product does not exist");
        FAMILIES.put("NoSuchVersion", "the API version does not exist");
        FAMILIES.put("OperationDenied", "the operation was denied");
        FAMILIES.put("RequestLimitExceeded", "too many calls: a rate limit was hit and the call was not executed");
        FAMILIES.put("RequestSizeLimitExceeded", "the request is too large");
        FAMILIES.put("ResourceInUse", "a resource is busy");
        FAMILIES.put("ResourceInsufficient", "the service lacks resources for now");
        FAMILIES.put("ResourceNotFound", "a resource (a task, a room) does not exist");
        FAMILIES.put("ResourceUnavailable", "a resource is unavailable for now");
        FAMILIES.put("ResponseSizeLimitExceeded", "the reply would be too large; narrow the query");
        FAMILIES.put("ServiceUnavailable", "the service is unavailable for now");
        FAMILIES.put("UnauthorizedOperation", "the account is not allowed to do this");
        FAMILIES.put("UnknownParameter", "a member the action does not know");
        FAMILIES.put("UnsupportedOperation", "the operation is not supported");
        FAMILIES.put("UnsupportedProtocol", "the HTTP method or protocol is not supported");
        FAMILIES.put("UnsupportedRegion", "the action is not offered in the region");
    }

    /** The families the default retry policy retries for read-only actions (see TrtcServiceException). */
    private static final List<String> TRANSIENT = List.of("InternalError", "ServiceUnavailable",
            "ResourceInsufficient", "ResourceUnavailable");

    String write(Spec spec) {
        Source s = new Source();
        s.header(PACKAGE);
        s.line("import javax.annotation.processing.Generated;");
        s.line("");
        s.line("/**");
        s.line(" * The error codes the TRTC documentation lists, as constants to compare with");
        s.line(" * {@link TrtcServiceException#errorCode()} or pass to {@link TrtcServiceException#isCode(String)}:");
        s.line(" * {@link Common} (every action may answer them), {@link Service} (TRTC's own), and one class per");
        s.line(" * action whose page lists codes. The service may answer codes this version does not list.");
        s.line(" */");
        s.line("@Generated(\"trtc-codegen\")");
        s.line("public final class " + CLASS + " {");
        s.indent();
        s.line("");
        s.line("private " + CLASS + "() {}");
        Spec.ErrorCodes groups = spec.errorCodes();
        if (groups != null) {
            group(s, "Common", "The common codes: any action of any Tencent Cloud service may answer them.",
                    groups.common());
            group(s, "Service", "TRTC's own codes, listed on the service's error codes page.", groups.service());
        }
        spec.actions().forEach((name, action) -> {
            if (action.errors() != null && !action.errors().isEmpty()) {
                group(s, name, "The codes the page of {@code " + name + "} lists, besides the {@link Common} ones.",
                        action.errors());
            }
        });
        s.outdent();
        s.line("}");
        return s.toString();
    }

    private static void group(Source s, String name, String doc, List<String> codes) {
        s.line("");
        s.line("/** " + doc + " */");
        s.line("public static final class " + name + " {");
        s.indent();
        s.line("");
        s.line("private " + name + "() {}");
        TreeSet<String> names = new TreeSet<>();
        for (String code : codes) {
            String constant = constant(code);
            if (!names.add(constant)) {
                throw new IllegalStateException("two codes of " + name + " make the constant " + constant);
            }
            s.line("");
            s.line("/**");
            s.doc(" * ", "{@code " + code + "}: " + meaning(code) + "; " + handling(code) + ".");
            s.line(" */");
            s.line("public static final String " + constant + " = \"" + code + "\";");
        }
        s.outdent();
        s.line("}");
    }

    /** The constant's name: each CamelCase word of the code, upper-cased, joined by underscores. */
    static String constant(String code) {
        List<String> words = new ArrayList<>();
        for (String part : code.split("\\.")) {
            StringBuilder word = new StringBuilder();
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                boolean boundary = i > 0 && Character.isUpperCase(c)
                        && (Character.isLowerCase(part.charAt(i - 1)) || Character.isDigit(part.charAt(i - 1))
                                || (i + 1 < part.length() && Character.isLowerCase(part.charAt(i + 1))));
                if (boundary && word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
                word.append(c);
            }
            if (word.length() > 0) {
                words.add(word.toString());
            }
        }
        return String.join("_", words).toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
    }

    static String family(String code) {
        int dot = code.indexOf('.');
        return dot < 0 ? code : code.substring(0, dot);
    }

    private static String meaning(String code) {
        String family = family(code);
        String meaning = FAMILIES.getOrDefault(family, "a code of the {@code " + family + "} family");
        return code.contains(".") ? meaning + " (a case of {@code " + family + "})" : meaning;
    }

    private static String handling(String code) {
        String family = family(code);
        if (family.equals("RequestLimitExceeded")) {
            return "the default retry policy sends the call again";
        }
        if (TRANSIENT.contains(family)) {
            return "the default retry policy sends a read-only call again";
        }
        return "not retried";
    }
}
