package io.github.trtcreactive.codegen;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the error codes out of the documentation pages kept as text (the seeds): the common codes
 * every action may answer, the service's own codes, and the codes each action's page lists. Only
 * the codes are kept, never their descriptions.
 *
 * <p>An action's page is recognised by its API Explorer link ({@code ...&Action=Name}); its codes
 * are the lines that start with a code (a word of a known code family) in the section headed "Error
 * Code", up to the page's SDK links or next numbered section. The common and service
 * lists are the sections headed "Common Error Codes" and "Service Error Codes" of the error codes page.
 */
final class SeedErrorCodes {

    private static final Pattern ACTION_LINK = Pattern.compile(
            "https://[\\w.]+/api/explorer\\?Product=trtc&Version=2019-07-22&Action=(\\w+)");
    private static final Pattern SECTION = Pattern.compile("^\\s*\\d+\\.\\s*Error Codes?\\s*$");
    private static final Pattern NUMBERED = Pattern.compile("^\\s*\\d+\\.\\s+\\S");
    /** A code: a CamelCase word of at least two capitals ({@code InternalError}), or dotted sub-codes. */
    private static final Pattern CODE = Pattern.compile("^([A-Z][a-z]+[A-Za-z0-9]*(?:\\.[A-Za-z0-9_]+)*)(?:\\s|$)");

    /** The families codes belong to; a line that starts with another word is prose, not a code. */
    private static final Set<String> FAMILIES = Set.of("ActionOffline", "AuthFailure", "DryRunOperation",
            "FailedOperation", "InternalError", "InvalidAction", "InvalidParameter", "InvalidParameterValue",
            "InvalidRequest", "IpInBlacklist", "IpNotInWhitelist", "LimitExceeded", "MissingParameter",
            "NoSuchProduct", "NoSuchVersion", "OperationDenied", "RequestLimitExceeded", "RequestSizeLimitExceeded",
            "ResourceInUse", "ResourceInsufficient", "ResourceNotFound", "ResourceUnavailable",
            "ResponseSizeLimitExceeded", "ServiceUnavailable", "UnauthorizedOperation", "UnknownParameter",
            "UnsupportedOperation", "UnsupportedProtocol", "UnsupportedRegion");

    final Set<String> common = new LinkedHashSet<>();
    final Set<String> service = new LinkedHashSet<>();
    final Map<String, Set<String>> byAction = new LinkedHashMap<>();
    /** The official page of each action the seeds hold (its API Explorer link, as the page gives it). */
    final Map<String, String> pages = new LinkedHashMap<>();

    /** Reads one page's text; call once per seed. */
    void read(String text) {
        String[] lines = text.split("\\R");
        String action = null;
        Set<String> into = null;
        for (String raw : lines) {
            String line = raw.strip();
            Matcher link = ACTION_LINK.matcher(line);
            if (link.find()) {
                action = link.group(1);
                pages.putIfAbsent(action, link.group());
                into = null;
                continue;
            }
            if (line.equals("Common Error Codes")) {
                into = common;
                action = null;
                continue;
            }
            if (line.equals("Service Error Codes")) {
                into = service;
                action = null;
                continue;
            }
            if (action != null && SECTION.matcher(line).matches()) {
                into = byAction.computeIfAbsent(action, a -> new LinkedHashSet<>());
                continue;
            }
            if (into == null) {
                continue;
            }
            if (into != common && into != service
                    && (line.startsWith("https://github.com/") || NUMBERED.matcher(line).find())) {
                into = null; // the page's SDK links, or its next numbered section
                continue;
            }
            String code = code(line);
            if (code != null) {
                into.add(code);
            }
        }
    }

    /** The code a line starts with, or null when it starts with none. */
    static String code(String line) {
        Matcher m = CODE.matcher(line);
        if (!m.find()) {
            return null;
        }
        String code = m.group(1);
        String family = code.contains(".") ? code.substring(0, code.indexOf('.')) : code;
        long capitals = family.chars().filter(Character::isUpperCase).count();
        if (capitals < 2 && !code.contains(".")) {
            return null;
        }
        return FAMILIES.contains(family) ? code : null;
    }

    static List<String> list(Set<String> codes) {
        return codes == null ? null : new ArrayList<>(codes);
    }
}
