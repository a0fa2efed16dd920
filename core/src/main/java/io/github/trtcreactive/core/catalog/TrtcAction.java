package io.github.trtcreactive.core.catalog;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** One API action: its name, rate limit, documenting sites and, for task actions, family and role. */
public final class TrtcAction {

    private final String name;
    private final RateLimit rateLimit;
    private final Set<Site> sites;
    private final TaskFamily family;
    private final TaskRole role;
    private final boolean deprecated;
    private final Set<String> regions; // null when the documentation states none

    TrtcAction(String name, RateLimit rateLimit, Set<Site> sites, TaskFamily family, TaskRole role,
            boolean deprecated, java.util.List<String> regions) {
        this.name = Objects.requireNonNull(name, "name");
        this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
        this.sites = Set.copyOf(sites);
        this.family = family;
        this.role = role;
        this.deprecated = deprecated;
        this.regions = regions == null ? null : java.util.Collections.unmodifiableSet(new java.util.TreeSet<>(regions));
    }

    /**
     * Describes an action the catalogue does not know (called through the raw call), with the
     * common limit of 20 calls per second assumed.
     *
     * @param name the action name
     * @return an action with no site, family or role
     */
    public static TrtcAction unknown(String name) {
        if (name == null || !name.matches("[A-Z][A-Za-z0-9]*")) {
            throw new IllegalArgumentException("action must be an UpperCamelCase name such as DescribeRoomInfo, was "
                    + name);
        }
        return new TrtcAction(name, new RateLimit(20, Duration.ofSeconds(1), RateLimit.Basis.ASSUMED), Set.of(),
                null, null, false, null);
    }

    /** {@return the action name as sent in {@code X-TC-Action}} */
    public String name() {
        return name;
    }

    /** {@return the per-account limit} */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /** {@return the documentation sites that describe the action; empty for an unknown action} */
    public Set<Site> sites() {
        return sites;
    }

    /** {@return the task family, when the action belongs to one} */
    public Optional<TaskFamily> taskFamily() {
        return Optional.ofNullable(family);
    }

    /** {@return the action's role in its task family} */
    public Optional<TaskRole> taskRole() {
        return Optional.ofNullable(role);
    }

    /**
     * The regions the action's documentation lists as supported.
     *
     * @return the regions, sorted; an empty set when the action needs no region; empty when the
     *     documentation states none (an unknown action, for example)
     */
    public Optional<Set<String>> regions() {
        return Optional.ofNullable(regions);
    }

    /** {@return whether a documentation site marks the action deprecated} */
    public boolean isDeprecated() {
        return deprecated;
    }

    /**
     * Whether the action only reads: a retry after an unknown outcome cannot change anything.
     *
     * @return {@code true} for Describe and Query actions
     */
    public boolean isReadOnly() {
        return name.startsWith("Describe") || name.startsWith("Query");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TrtcAction that && name.equals(that.name) && rateLimit.equals(that.rateLimit)
                && sites.equals(that.sites) && family == that.family && role == that.role
                && deprecated == that.deprecated;
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name + "[" + rateLimit + (family == null ? "" : ", " + family + " " + role) + "]";
    }
}
