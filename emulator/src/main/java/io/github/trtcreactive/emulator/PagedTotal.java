package io.github.trtcreactive.emulator;

/**
 * What the {@code Total} of DescribeRoomInfo, DescribeUserInfo and DescribeCallDetailInfo holds. Their
 * documentation defines it as the number of records returned; a client that read it as the number of
 * all matching records would stop after the first page. The emulator can answer either way, or leave
 * it out, so that clients are tested against every reading.
 */
public enum PagedTotal {
    /** The records on the page returned, as the documentation defines it (the default). */
    RECORDS_RETURNED,
    /** All matching records, over every page. */
    ALL_MATCHING,
    /** No {@code Total} member at all. */
    OMITTED
}
