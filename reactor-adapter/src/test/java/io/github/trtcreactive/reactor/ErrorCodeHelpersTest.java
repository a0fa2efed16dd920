package io.github.trtcreactive.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.catalog.ActionCatalogue;
import io.github.trtcreactive.core.catalog.TrtcAction;
import io.github.trtcreactive.core.error.TrtcErrorCodes;
import io.github.trtcreactive.core.error.TrtcServiceException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code TrtcServiceException.isRetryable()} says what the default retry policy does, for every documented code. */
class ErrorCodeHelpersTest {

    @Test
    void isRetryable_agreesWithTheDefaultPolicy_forEveryCodeAndEveryAction() throws IllegalAccessException {
        List<String> codes = new ArrayList<>();
        for (Class<?> group : TrtcErrorCodes.class.getClasses()) {
            for (Field f : group.getFields()) {
                if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                    codes.add((String) f.get(null));
                }
            }
        }
        RetryPolicy policy = RetryPolicy.defaults();
        int retryable = 0;
        for (TrtcAction action : ActionCatalogue.standard().all()) {
            for (String code : codes) {
                TrtcServiceException e = new TrtcServiceException(action.name(), code, "m", "r", 200);
                assertThat(e.isRetryable()).as(action.name() + " " + code).isEqualTo(policy.isRetryable(action, e));
                retryable += e.isRetryable() ? 1 : 0;
            }
        }
        assertThat(retryable).isPositive();
    }
}
