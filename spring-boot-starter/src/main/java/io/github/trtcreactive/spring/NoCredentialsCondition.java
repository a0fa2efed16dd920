package io.github.trtcreactive.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when no credentials are set where the application would look first: neither
 * {@code trtc.secret-id} nor the {@code TENCENTCLOUD_SECRET_ID} environment variable (the embedded
 * emulator then stands in for the service).
 */
class NoCredentialsCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment environment = context.getEnvironment();
        if (TrtcAutoConfiguration.hasText(environment.getProperty("trtc.secret-id"))) {
            return ConditionOutcome.noMatch("trtc.secret-id is set");
        }
        if (TrtcAutoConfiguration.hasText(environment.getProperty("TENCENTCLOUD_SECRET_ID"))) {
            return ConditionOutcome.noMatch("TENCENTCLOUD_SECRET_ID is set");
        }
        return ConditionOutcome.match("no TRTC credentials are set");
    }
}
