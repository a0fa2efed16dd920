package io.github.trtcreactive.reactor;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The offset between the local clock and the service's, learned from the {@code Date} of a reply
 * that refused a signature as expired. Only a plausible Date is learned from (within a day of the
 * local clock): a wilder one is a broken proxy, not a clock. Shared by a client and its views.
 */
final class ClockSkew {

    private static final Logger LOG = LoggerFactory.getLogger(ClockSkew.class);

    /** The largest offset a reply's Date may teach. */
    static final Duration MAX = Duration.ofDays(1);

    private final Clock clock;
    private final AtomicLong offsetSeconds = new AtomicLong();

    ClockSkew(Clock clock) {
        this.clock = clock;
    }

    Clock clock() {
        return clock;
    }

    /** {@return the service's present as far as known: the local clock plus the learned offset} */
    Instant serviceNow() {
        return clock.instant().plusSeconds(offsetSeconds.get());
    }

    /**
     * Learns the offset from a reply's Date header.
     *
     * @return whether an offset was learned (so signing again may now succeed)
     */
    boolean learn(String action, String date) {
        if (date == null) {
            return false;
        }
        long server;
        try {
            server = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeParseException unreadable) {
            return false;
        }
        long offset = server - clock.instant().getEpochSecond();
        if (Math.abs(offset) > MAX.getSeconds()) {
            LOG.warn("{}: the reply's Date is {} s off the local clock, more than the {} h that may be learned; "
                    + "ignored", action, offset, MAX.toHours());
            return false;
        }
        offsetSeconds.set(offset);
        LOG.warn("{}: the local clock is {} s off the service's; signing with that offset from now on", action,
                -offset);
        return true;
    }
}
