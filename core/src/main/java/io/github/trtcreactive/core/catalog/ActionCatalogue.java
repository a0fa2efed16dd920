package io.github.trtcreactive.core.catalog;

import io.github.trtcreactive.core.endpoint.TrtcEndpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every action of TRTC API 2019-07-22 that either documentation site describes, generated from the
 * spec kept in the repository. The limiter, pollers and emulator read their facts from here.
 */
public final class ActionCatalogue {

    private static final ActionCatalogue STANDARD = new ActionCatalogue();

    private final Map<String, TrtcAction> actions;
    private final Set<String> regions;

    private ActionCatalogue() {
        Map<String, TrtcAction> byName = new LinkedHashMap<>();
        ActionTable.actions().forEach(a -> byName.put(a.name(), a));
        this.actions = Collections.unmodifiableMap(byName);
        Set<String> all = new TreeSet<>(TrtcEndpoint.REGIONAL_DOMAINS);
        byName.values().forEach(a -> a.regions().ifPresent(all::addAll));
        this.regions = Collections.unmodifiableSet(all);
    }

    /** {@return the catalogue of the current API version} */
    public static ActionCatalogue standard() {
        return STANDARD;
    }

    /**
     * Looks an action up by name.
     *
     * @param name the action name, for example {@code DescribeCloudRecording}
     * @return the action, or empty when the catalogue does not know it
     */
    public Optional<TrtcAction> find(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    /**
     * Looks an action up by name, describing an unknown one with the assumed common limit.
     *
     * @param name the action name
     * @return the known action, or {@link TrtcAction#unknown(String)}
     */
    public TrtcAction resolve(String name) {
        TrtcAction known = actions.get(name);
        return known != null ? known : TrtcAction.unknown(name);
    }

    /**
     * Looks up an action that a setting names, failing with a suggestion when the catalogue does not
     * know it: a misspelled name in a configuration would otherwise configure nothing.
     *
     * @param name the action name
     * @param setting what names it, for the message (for example {@code retryPolicy(action, policy)})
     * @return the action
     * @throws IllegalArgumentException when the name is unknown; the message names the setting, the
     *     nearest known actions and, for room actions, their {@code ByStrRoomId} twins
     */
    public TrtcAction requireKnown(String name, String setting) {
        Objects.requireNonNull(name, "action");
        TrtcAction known = actions.get(name);
        if (known != null) {
            return known;
        }
        List<String> nearest = nearest(name);
        throw new IllegalArgumentException(setting + ": unknown action \"" + name + "\""
                + (nearest.isEmpty() ? "" : "; did you mean " + String.join(" or ", nearest) + "?")
                + " (" + actions.size() + " actions are known; see ActionCatalogue.all())");
    }

    /** The known names closest to a misspelled one, with the string-room twin of each room action. */
    private List<String> nearest(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        int best = Integer.MAX_VALUE;
        List<String> found = new ArrayList<>();
        for (String candidate : actions.keySet()) {
            int distance = EditDistance.between(lower, candidate.toLowerCase(Locale.ROOT));
            if (distance < best) {
                best = distance;
                found.clear();
            }
            if (distance == best) {
                found.add(candidate);
            }
        }
        if (best > Math.max(3, name.length() / 3)) {
            return List.of();
        }
        List<String> withTwins = new ArrayList<>(found);
        for (String candidate : found) {
            String twin = candidate + "ByStrRoomId";
            if (actions.containsKey(twin) && !withTwins.contains(twin)) {
                withTwins.add(twin);
            }
        }
        return withTwins;
    }

    /**
     * Every region the catalogue knows: those the actions' documentation lists and those with a
     * regional domain.
     *
     * @return the regions, sorted
     */
    public Set<String> regions() {
        return regions;
    }

    /**
     * Checks a region name against {@link #regions()}.
     *
     * @param region the region, for example {@code ap-singapore}
     * @param source where it came from, for the message (a builder option or an environment variable)
     * @return the region
     * @throws IllegalArgumentException when it is unknown, listing the known ones
     */
    public String requireKnownRegion(String region, String source) {
        Objects.requireNonNull(region, "region");
        if (!regions.contains(region)) {
            throw new IllegalArgumentException(source + ": unknown region \"" + region + "\"; known regions: "
                    + String.join(", ", regions) + " (a region newer than this SDK can be set with "
                    + "TrtcAsyncClientBuilder.unlistedRegion)");
        }
        return region;
    }

    /** {@return every action, sorted by name} */
    public Collection<TrtcAction> all() {
        return actions.values();
    }
}
