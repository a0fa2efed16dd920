package io.github.trtcreactive.core.catalog;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/** The Tencent Cloud documentation site that describes an action or member. */
public enum Site {
    /** The international site (tencentcloud.com). */
    INTERNATIONAL,
    /** The China site (cloud.tencent.com). */
    CHINA;

    static Set<Site> setOf(boolean international, boolean china) {
        EnumSet<Site> sites = EnumSet.noneOf(Site.class);
        if (international) {
            sites.add(INTERNATIONAL);
        }
        if (china) {
            sites.add(CHINA);
        }
        return Collections.unmodifiableSet(sites);
    }
}
