package io.github.trtcreactive.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Derives the committed spec from the two public machine-readable API descriptions (international
 * and China sites) and the hand-kept facts overlay. Only facts are kept: names, JSON types, element
 * types, required and nullable flags, deprecation, and the sites documenting each item.
 *
 * <p>Usage: {@code DeriveSpec <intl.api.json> <cn.api.json> <facts.json> <out.json> [seeds directory]}; the
 * seeds (documentation pages kept as text) give the error codes (see {@link SeedErrorCodes}).
 */
public final class DeriveSpec {

    private static final Set<String> SCALARS = Set.of("string", "int", "float", "bool");

    private DeriveSpec() {}

    /**
     * Command-line entry point.
     *
     * @param args intl description, China description, facts overlay, output file
     * @throws IOException when a file cannot be read or written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 4 && args.length != 5) {
            throw new IllegalArgumentException(
                    "usage: DeriveSpec <intl.api.json> <cn.api.json> <facts.json> <out.json> [seeds directory]");
        }
        ObjectMapper json = Spec.mapper();
        SeedErrorCodes codes = new SeedErrorCodes();
        if (args.length == 5) {
            try (java.util.stream.Stream<Path> seeds = Files.list(Path.of(args[4]))) {
                for (Path seed : seeds.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                    codes.read(Files.readString(seed, StandardCharsets.UTF_8));
                }
            }
        }
        Spec spec = derive(json.readTree(Path.of(args[0]).toFile()), json.readTree(Path.of(args[1]).toFile()),
                json.readTree(Path.of(args[2]).toFile()), codes);
        Files.writeString(Path.of(args[3]), json.writeValueAsString(spec) + "\n", StandardCharsets.UTF_8);
        System.out.printf("spec: %d actions, %d object types, %d members%n", spec.actions().size(),
                spec.objects().size(), spec.objects().values().stream().mapToInt(o -> o.members().size()).sum());
    }

    static Spec derive(JsonNode intl, JsonNode cn, JsonNode facts, SeedErrorCodes codes) {
        Map<String, JsonNode> sites = new LinkedHashMap<>();
        sites.put(Spec.INTL, intl);
        sites.put(Spec.CN, cn);
        Map<String, Spec.RateLimit> limits = limits(facts.get("rateLimits"));
        Map<String, String[]> roles = roles(facts.get("taskFamilies"));
        Map<String, List<String>> regions = regions(facts.get("regions"));
        Spec.RateLimit assumed = limit(facts.get("rateLimits").get("assumedDefault"), "assumed", null);

        Map<String, Spec.Action> actions = new TreeMap<>();
        Map<String, String> kinds = new HashMap<>();
        for (String name : names(sites, "actions")) {
            List<String> present = presentIn(sites, "actions", name);
            JsonNode first = sites.get(present.get(0)).get("actions").get(name);
            boolean deprecated = present.stream()
                    .anyMatch(s -> "deprecated".equals(sites.get(s).get("actions").get(name).path("status").asText()));
            String[] role = roles.get(name);
            JsonNode summary = facts.get("summaries").get(name);
            if (summary == null) {
                throw new IllegalStateException("facts.json has no summary for " + name);
            }
            actions.put(name, new Spec.Action(first.get("input").asText(), first.get("output").asText(), present,
                    limits.getOrDefault(name, assumed), role == null ? null : role[0], role == null ? null : role[1],
                    deprecated ? Boolean.TRUE : null, summary.asText(), regions.get(name), errors(facts, codes, name),
                    facts.path("streaming").path(name).asText(null), codes.pages.get(name)));
            kinds.put(first.get("input").asText(), "request");
            kinds.put(first.get("output").asText(), "response");
        }
        Map<String, Spec.ObjectType> objects = new TreeMap<>();
        for (String name : names(sites, "objects")) {
            List<String> present = presentIn(sites, "objects", name);
            List<Spec.Member> members = override(facts.get("memberOverrides"), name, members(sites, present, name,
                    facts.path("memberFacts")));
            objects.put(name, new Spec.ObjectType(kinds.getOrDefault(name, "data"), present, members,
                    rules(facts.path("objectRules").path(name), name, members)));
        }
        actions.forEach((action, a) -> objects.get(a.input()).rules().forEach(rule -> {
            if (rule.error() != null && (a.errors() == null || !a.errors().contains(rule.error()))) {
                throw new IllegalStateException("facts.json objectRules." + a.input() + ": " + rule.error()
                        + " is not a code the page of " + action + " lists");
            }
        }));
        objects.forEach((name, type) -> type.rules().forEach(rule -> {
            if (rule.error() != null && !"request".equals(type.kind())) {
                throw new IllegalStateException("facts.json objectRules." + name + ": only a request's rule names a code");
            }
        }));
        facts.path("objectRules").fieldNames().forEachRemaining(name -> {
            if (!name.startsWith("_") && !objects.containsKey(name)) {
                throw new IllegalStateException("facts.json objectRules names no type: " + name);
            }
        });
        facts.path("memberFacts").fieldNames().forEachRemaining(key -> {
            if (key.startsWith("_")) {
                return;
            }
            String[] parts = key.split("\\.");
            Spec.ObjectType owner = objects.get(parts[0]);
            if (parts.length != 2 || owner == null || owner.members().stream().noneMatch(m -> m.name().equals(parts[1]))) {
                throw new IllegalStateException("facts.json memberFacts names no member: " + key);
            }
        });
        List<String> secrets = new ArrayList<>();
        facts.get("secretMembers").forEach(n -> secrets.add(n.asText()));
        Spec.ErrorCodes errorCodes = codes.common.isEmpty() && codes.service.isEmpty() ? null
                : new Spec.ErrorCodes(SeedErrorCodes.list(codes.common), SeedErrorCodes.list(codes.service));
        return new Spec(facts.get("service").asText(), facts.get("version").asText(), secrets, actions, objects,
                errorCodes);
    }

    /**
     * The overlay's rules between members of one type, each checked against the type: its members
     * exist, a period binds two members of one form, a product two numbers, a bound one member.
     */
    static List<Spec.Rule> rules(JsonNode overlay, String type, List<Spec.Member> members) {
        List<Spec.Rule> rules = new ArrayList<>();
        if (overlay.isMissingNode()) {
            return rules;
        }
        for (JsonNode r : overlay) {
            Spec.Rule rule;
            try {
                rule = Spec.mapper().treeToValue(r, Spec.Rule.class);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("facts.json objectRules." + type + ": " + e.getOriginalMessage(), e);
            }
            Map<String, Spec.Member> byName = new HashMap<>();
            members.forEach(m -> byName.put(m.name(), m));
            List<String> bound = new ArrayList<>(rule.members());
            if (rule.when() != null) {
                bound.add(rule.when());
            }
            for (String m : bound) {
                if (!byName.containsKey(m)) {
                    throw new IllegalStateException("facts.json objectRules." + type + " names no member: " + m);
                }
            }
            int arity = switch (rule.kind()) {
                case "period", "product" -> 2;
                case "atMost" -> 1;
                default -> throw new IllegalStateException("facts.json objectRules." + type + ": unknown kind " + rule.kind());
            };
            if (rule.members().size() != arity || rule.max() <= 0) {
                throw new IllegalStateException("facts.json objectRules." + type + ": a " + rule.kind()
                        + " binds " + arity + " member(s) to a positive bound");
            }
            if ("period".equals(rule.kind())) {
                String expected = "EPOCH_SECONDS".equals(rule.format()) ? "int"
                        : "DATE".equals(rule.format()) || "DATE_TIME".equals(rule.format()) ? "string" : null;
                for (String m : rule.members()) {
                    if (expected == null || !expected.equals(byName.get(m).type())) {
                        throw new IllegalStateException("facts.json objectRules." + type + ": " + m
                                + " is not of the period's format " + rule.format());
                    }
                }
            }
            if ("product".equals(rule.kind())) {
                for (String m : rule.members()) {
                    if (!"int".equals(byName.get(m).type())) {
                        throw new IllegalStateException("facts.json objectRules." + type + ": " + m + " is not an integer");
                    }
                }
            }
            if ("atMost".equals(rule.kind()) && !List.of("int", "list").contains(byName.get(rule.members().get(0)).type())) {
                throw new IllegalStateException("facts.json objectRules." + type + ": " + rule.members().get(0)
                        + " is neither an integer nor a list");
            }
            rules.add(rule);
        }
        return rules;
    }

    private static List<Spec.Member> members(Map<String, JsonNode> sites, List<String> present, String object,
            JsonNode overlay) {
        Map<String, List<JsonNode>> byName = new LinkedHashMap<>();
        Map<String, List<String>> memberSites = new HashMap<>();
        for (String site : present) {
            for (JsonNode m : sites.get(site).get("objects").get(object).get("members")) {
                String name = m.get("name").asText();
                byName.computeIfAbsent(name, k -> new ArrayList<>()).add(m);
                memberSites.computeIfAbsent(name, k -> new ArrayList<>()).add(site);
            }
        }
        List<Spec.Member> members = new ArrayList<>();
        byName.forEach((name, docs) -> {
            JsonNode first = docs.get(0);
            String type = first.get("type").asText();
            for (JsonNode other : docs) {
                if (!other.get("type").asText().equals(type) || !element(other).equals(element(first))) {
                    throw new IllegalStateException("sites disagree on the type of " + object + "." + name);
                }
            }
            boolean required = docs.stream().allMatch(d -> d.path("required").asBoolean(false));
            boolean nullable = docs.stream().anyMatch(d -> d.path("value_allowed_null").asBoolean(false));
            boolean deprecated = docs.stream().anyMatch(d -> d.path("disabled").asBoolean(false));
            String element = element(first);
            Map<String, FactsExtractor.Found> found = new LinkedHashMap<>();
            for (int i = 0; i < docs.size(); i++) {
                found.put(memberSites.get(name).get(i), FactsExtractor.read(type, docs.get(i).path("document").asText(null)));
            }
            members.add(new Spec.Member(name, type, element.isEmpty() ? null : element, required, nullable,
                    deprecated ? Boolean.TRUE : null, memberSites.get(name),
                    MemberFacts.merge(type, found, overlay.get(object + "." + name))));
        });
        return members;
    }

    /** Applies the overlay's corrections of member element types. */
    private static List<Spec.Member> override(JsonNode overrides, String object, List<Spec.Member> members) {
        List<Spec.Member> result = new ArrayList<>();
        for (Spec.Member m : members) {
            JsonNode fix = overrides.get(object + "." + m.name());
            result.add(fix == null ? m : new Spec.Member(m.name(), m.type(), fix.get("element").asText(),
                    m.required(), m.nullable(), m.deprecated(), m.sites(), m.facts()));
        }
        return result;
    }

    /** The object type of an object member, the element type of a list, or "" for a scalar. */
    private static String element(JsonNode member) {
        String type = member.get("type").asText();
        String inner = member.path("member").asText();
        if (SCALARS.contains(type)) {
            return "";
        }
        return switch (inner) {
            case "int64", "uint64", "int32", "uint32" -> "int";
            case "double" -> "float";
            default -> inner;
        };
    }

    private static Set<String> names(Map<String, JsonNode> sites, String section) {
        Set<String> names = new TreeSet<>();
        sites.values().forEach(d -> d.get(section).fieldNames().forEachRemaining(names::add));
        return names;
    }

    private static List<String> presentIn(Map<String, JsonNode> sites, String section, String name) {
        List<String> present = new ArrayList<>();
        sites.forEach((site, d) -> {
            if (d.get(section).has(name)) {
                present.add(site);
            }
        });
        return present;
    }

    private static Map<String, Spec.RateLimit> limits(JsonNode rateLimits) {
        Map<String, Spec.RateLimit> limits = new HashMap<>();
        for (JsonNode group : rateLimits.get("documented")) {
            Spec.RateLimit limit = limit(group, "documented", group.get("source").asText());
            group.get("actions").forEach(a -> {
                if (limits.put(a.asText(), limit) != null) {
                    throw new IllegalStateException("two limits for " + a.asText());
                }
            });
        }
        return limits;
    }

    private static Spec.RateLimit limit(JsonNode node, String basis, String source) {
        return new Spec.RateLimit(node.get("permits").asInt(), node.get("periodSeconds").asInt(), basis, source);
    }

    private static Map<String, List<String>> regions(JsonNode groups) {
        Map<String, List<String>> regions = new HashMap<>();
        groups.fields().forEachRemaining(group -> {
            if (group.getKey().startsWith("_")) {
                return;
            }
            List<String> list = group.getKey().equals("none required") ? List.of()
                    : List.of(group.getKey().split(",\\s*"));
            group.getValue().forEach(a -> regions.put(a.asText(), list));
        });
        return regions;
    }

    /** The codes the action's page lists, then any the overlay adds; null when neither lists one. */
    private static List<String> errors(JsonNode facts, SeedErrorCodes seeds, String action) {
        Set<String> all = new java.util.LinkedHashSet<>(seeds.byAction.getOrDefault(action, Set.of()));
        JsonNode codes = facts.get("errors").get(action);
        if (codes != null) {
            codes.forEach(c -> all.add(c.asText()));
        }
        return all.isEmpty() ? null : new ArrayList<>(all);
    }

    private static Map<String, String[]> roles(JsonNode families) {
        Map<String, String[]> roles = new HashMap<>();
        families.fields().forEachRemaining(family -> family.getValue().fields().forEachRemaining(role ->
                role.getValue().forEach(a -> roles.put(a.asText(), new String[] {family.getKey(), role.getKey()}))));
        return roles;
    }
}
