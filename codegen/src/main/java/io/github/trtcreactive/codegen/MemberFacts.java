package io.github.trtcreactive.codegen;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Merges what the two sites state about a member ({@link FactsExtractor}) into its facts, then
 * applies the facts overlay: a fact both sites state alike is kept; one only a site states is kept
 * with a note saying which; where they disagree, neither is kept and a note gives both. The overlay
 * (an object per {@code Type.Member} in {@code facts.json}'s {@code memberFacts}) sets facts, names
 * values and gives their meanings, drops what the patterns misread, and says which facts are checked:
 * only facts it has reviewed are.
 */
final class MemberFacts {

    private MemberFacts() {}

    private static final Map<String, String> SITE_NAMES = Map.of(Spec.INTL, "the international site", Spec.CN,
            "the China site");

    static Spec.Facts merge(String type, Map<String, FactsExtractor.Found> found, JsonNode overlay) {
        List<String> notes = new ArrayList<>();
        List<String> stating = new ArrayList<>();
        boolean both = found.size() == 2;
        String unit = pick("unit", found, FactsExtractor.Found::unit, notes, stating, both);
        Long min = pick("minimum", found, FactsExtractor.Found::min, notes, stating, both);
        Long max = pick("maximum", found, FactsExtractor.Found::max, notes, stating, both);
        String defaultValue = pick("default", found, FactsExtractor.Found::defaultValue, notes, stating, both);
        Long maxLength = pick("longest length", found, FactsExtractor.Found::maxLength, notes, stating, both);
        Long maxItems = pick("most elements", found, FactsExtractor.Found::maxItems, notes, stating, both);
        List<Long> numbers = pick("values", found, FactsExtractor.Found::values, notes, stating, both);
        List<Spec.Value> values = numbers == null ? null
                : numbers.stream().map(n -> new Spec.Value(Long.toString(n), null, null)).toList();
        String valueSet = null;
        List<String> checked = null;
        if (overlay != null) {
            if (overlay.has("drop")) {
                for (JsonNode d : overlay.get("drop")) {
                    switch (d.asText()) {
                        case "unit" -> unit = null;
                        case "min" -> min = null;
                        case "max" -> max = null;
                        case "default" -> defaultValue = null;
                        case "maxLength" -> maxLength = null;
                        case "maxItems" -> maxItems = null;
                        case "values" -> values = null;
                        default -> throw new IllegalStateException("unknown fact to drop: " + d.asText());
                    }
                    String fact = switch (d.asText()) {
                        case "min" -> "minimum";
                        case "max" -> "maximum";
                        case "maxLength" -> "longest length";
                        case "maxItems" -> "most elements";
                        default -> d.asText();
                    };
                    notes.removeIf(n -> n.endsWith(" states the " + fact) || n.startsWith("the sites disagree on the " + fact + ":"));
                }
            }
            unit = overlay.has("unit") ? overlay.get("unit").asText() : unit;
            min = overlay.has("min") ? Long.valueOf(overlay.get("min").asLong()) : min;
            max = overlay.has("max") ? Long.valueOf(overlay.get("max").asLong()) : max;
            defaultValue = overlay.has("default") ? overlay.get("default").asText() : defaultValue;
            maxLength = overlay.has("maxLength") ? Long.valueOf(overlay.get("maxLength").asLong()) : maxLength;
            maxItems = overlay.has("maxItems") ? Long.valueOf(overlay.get("maxItems").asLong()) : maxItems;
            if (overlay.has("values")) {
                List<Spec.Value> named = new ArrayList<>();
                for (JsonNode v : overlay.get("values")) {
                    named.add(new Spec.Value(v.get("value").asText(), v.path("name").asText(null),
                            v.path("meaning").asText(null)));
                }
                values = named;
            }
            valueSet = overlay.path("valueSet").asText(null);
            if (overlay.has("notes")) {
                overlay.get("notes").forEach(n -> notes.add(n.asText()));
            }
            if (overlay.has("checked")) {
                checked = new ArrayList<>();
                for (JsonNode c : overlay.get("checked")) {
                    checked.add(c.asText());
                }
            }
        }
        // Only facts the overlay marks as reviewed are checked: the patterns can misread a sentence,
        // and a misread bound must never refuse a valid request.
        if (checked != null) {
            for (String c : checked) {
                boolean present = switch (c) {
                    case "min" -> min != null;
                    case "max" -> max != null;
                    case "maxLength" -> maxLength != null;
                    case "maxItems" -> maxItems != null;
                    case "values" -> values != null;
                    default -> throw new IllegalStateException("unknown fact to check: " + c);
                };
                if (!present) {
                    throw new IllegalStateException("the overlay checks " + c + ", which the member's facts lack");
                }
            }
        }
        if (unit == null && min == null && max == null && defaultValue == null && maxLength == null
                && maxItems == null && values == null && notes.isEmpty()) {
            return null;
        }
        return new Spec.Facts(unit, min, max, defaultValue, maxLength, maxItems, values, valueSet,
                stating.isEmpty() ? null : stating.stream().distinct().sorted().toList(),
                notes.isEmpty() ? null : notes, checked == null || checked.isEmpty() ? null : checked);
    }

    /** The value the sites state alike; a note when only one states it (of two) or they disagree. */
    private static <T> T pick(String fact, Map<String, FactsExtractor.Found> found,
            Function<FactsExtractor.Found, T> get, List<String> notes, List<String> stating, boolean both) {
        Map<String, T> stated = new LinkedHashMap<>();
        found.forEach((site, f) -> {
            T v = get.apply(f);
            if (v != null) {
                stated.put(site, v);
            }
        });
        if (stated.isEmpty()) {
            return null;
        }
        List<T> distinct = stated.values().stream().distinct().toList();
        if (distinct.size() > 1) {
            StringBuilder note = new StringBuilder("the sites disagree on the " + fact + ":");
            stated.forEach((site, v) -> note.append(' ').append(SITE_NAMES.get(site)).append(" states ").append(v)
                    .append(';'));
            notes.add(note.substring(0, note.length() - 1));
            return null;
        }
        stating.addAll(stated.keySet());
        if (both && stated.size() == 1) {
            notes.add("only " + SITE_NAMES.get(stated.keySet().iterator().next()) + " states the " + fact);
        }
        return Objects.requireNonNull(distinct.get(0));
    }
}
