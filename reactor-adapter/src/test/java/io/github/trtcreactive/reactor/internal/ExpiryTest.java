package io.github.trtcreactive.reactor.internal;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class ExpiryTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void failsItsSubscriber_whetherTheFailureComesBeforeOrAfterTheSubscription() {
        HttpTransport.Expiry before = new HttpTransport.Expiry();
        before.fail(new IllegalStateException("early"));
        StepVerifier.create(before).expectErrorMessage("early").verify(WAIT);

        HttpTransport.Expiry after = new HttpTransport.Expiry();
        StepVerifier.create(after).expectSubscription().expectNoEvent(Duration.ofMillis(20))
                .then(() -> after.fail(new IllegalStateException("late")))
                .expectErrorMessage("late").verify(WAIT);
    }

    @Test
    void aCancelledOrFailedExpiry_signalsNothingMore() {
        HttpTransport.Expiry cancelled = new HttpTransport.Expiry();
        StepVerifier.create(cancelled).expectSubscription().thenCancel().verify(WAIT);
        cancelled.fail(new IllegalStateException("ignored")); // nobody to tell, nothing thrown

        HttpTransport.Expiry twice = new HttpTransport.Expiry();
        StepVerifier.create(twice).then(() -> {
            twice.fail(new IllegalStateException("first"));
            twice.fail(new IllegalStateException("second"));
        }).expectErrorMessage("first").verify(WAIT);
    }
}
