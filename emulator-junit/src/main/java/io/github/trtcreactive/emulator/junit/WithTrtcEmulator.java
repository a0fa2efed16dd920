package io.github.trtcreactive.emulator.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against an emulator: one per class by default, or one per test. Test methods
 * (and lifecycle methods, constructors) may declare parameters of type
 * {@link io.github.trtcreactive.emulator.TrtcEmulator}, {@link io.github.trtcreactive.reactor.TrtcAsyncClient}
 * (a client of that emulator, closed with it), {@link io.github.trtcreactive.emulator.EmulatorClock}
 * and {@link io.github.trtcreactive.emulator.Faults}. For settings an annotation cannot hold, register
 * a {@link TrtcEmulatorExtension} built in code instead.
 *
 * <pre>{@code
 * @WithTrtcEmulator(clock = "2026-11-21T00:00:00Z", rateLimits = false)
 * class RecordingTest {
 *     @Test
 *     void starts(TrtcAsyncClient client, TrtcEmulator emulator) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TrtcEmulatorExtension.class)
public @interface WithTrtcEmulator {

    /** {@return whether each test gets an emulator of its own (else the class shares one)} */
    boolean perTest() default false;

    /** {@return a fixed start for the emulator's clock (ISO-8601 instant, advanced by the test); empty for real time} */
    String clock() default "";

    /** {@return whether the documented rate limits apply} */
    boolean rateLimits() default true;

    /** {@return a factor on every documented rate limit} */
    double rateLimitScale() default 1.0;

    /** {@return whether faults and the request log are cleared before each test of a shared emulator} */
    boolean resetBetweenTests() default true;
}
