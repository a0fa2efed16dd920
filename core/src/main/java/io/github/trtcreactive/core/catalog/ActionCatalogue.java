package io.github.trtcreactive.core.catalog;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Every action of TRTC API 2019-07-22 that either documentation site describes, generated from the
 * spec kept in the repository. The limiter, pollers and emulator read their facts from here.
 */
public final class ActionCatalogue {

    private static final ActionCatalogue STANDARD = new ActionCatalogue();

    private final Map<String, TrtcAction> actions;

    private ActionCatalogue() {
        Map<String, TrtcAction> byName = new LinkedHashMap<>();
        ActionTable.actions().forEach(a -> byName.put(a.name(), a));
        this.actions = Collections.unmodifiableMap(byName);
    }

    /** @return the catalogue of the current API version */
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

    /** @return every action, sorted by name */
    public Collection<TrtcAction> all() {
        return actions.values();
    }
}
