package io.github.trtcreactive.benchmarks;

import io.github.trtcreactive.core.auth.Credentials;
import io.github.trtcreactive.core.auth.CredentialsProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Credentials that change every period, as temporary keys of one account do: key pair i is used
 * from {@code i * period} after the start, so a client that asks its provider on every call signs
 * with a new SecretId each period. The pairs are made up front, so that the emulator can be told to
 * accept every one of them (it checks each request's SecretId against the keys it was given).
 */
final class RotatingCredentials implements CredentialsProvider {

    private final List<Credentials> pairs;
    private final long periodNanos;
    private final Set<String> handedOut = ConcurrentHashMap.newKeySet();
    private volatile long startedAt = System.nanoTime();

    /**
     * Pairs enough for a run.
     *
     * @param run how long the run lasts
     * @param period how long each pair is used
     */
    RotatingCredentials(Duration run, Duration period) {
        this.periodNanos = period.toNanos();
        int count = (int) (run.toNanos() / periodNanos) + 3; // set-up and the run's last seconds too
        this.pairs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            pairs.add(Credentials.of(String.format(Locale.ROOT, "AKIDclientSoakRotating%014d", i),
                    String.format(Locale.ROOT, "clientSoakSecretKey%013d", i)));
        }
    }

    /** {@return every pair, for the emulator to accept} */
    List<Credentials> all() {
        return List.copyOf(pairs);
    }

    /** Starts the rotation now: the first pair is used for one period from here. */
    void restart() {
        startedAt = System.nanoTime();
    }

    @Override
    public Credentials resolveCredentials() {
        int index = (int) Math.min(pairs.size() - 1, (System.nanoTime() - startedAt) / periodNanos);
        Credentials current = pairs.get(index);
        handedOut.add(current.secretId());
        return current;
    }

    /** {@return how many different SecretIds calls were signed with so far} */
    int secretIdsUsed() {
        return handedOut.size();
    }
}
