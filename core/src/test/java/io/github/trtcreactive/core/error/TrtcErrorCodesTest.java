package io.github.trtcreactive.core.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The documented error codes as constants, and the helpers that classify a service error. */
class TrtcErrorCodesTest {

    private static List<String> codes(Class<?> group) throws IllegalAccessException {
        List<String> codes = new ArrayList<>();
        for (Field f : group.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                codes.add((String) f.get(null));
            }
        }
        return codes;
    }

    @Test
    void everyDocumentedCode_isAConstant_groupedAsTheDocumentationGroupsThem() throws IllegalAccessException {
        assertThat(codes(TrtcErrorCodes.Common.class)).hasSize(38)
                .contains("AuthFailure.SignatureFailure", "RequestLimitExceeded.UinLimitExceeded", "ServiceUnavailable");
        assertThat(codes(TrtcErrorCodes.Service.class)).hasSize(76)
                .contains("FailedOperation.RestrictedConcurrency", "InvalidParameter.UserIdsMorethanSix");
        assertThat(TrtcErrorCodes.CreateCloudRecording.FAILED_OPERATION_RESTRICTED_CONCURRENCY)
                .isEqualTo("FailedOperation.RestrictedConcurrency");
        assertThat(TrtcErrorCodes.Common.AUTH_FAILURE_SIGNATURE_FAILURE).isEqualTo("AuthFailure.SignatureFailure");
        int actions = 0;
        int perAction = 0;
        for (Class<?> group : TrtcErrorCodes.class.getClasses()) {
            if (group != TrtcErrorCodes.Common.class && group != TrtcErrorCodes.Service.class) {
                actions++;
                perAction += codes(group).size();
            }
        }
        assertThat(actions).isGreaterThanOrEqualTo(36);
        assertThat(perAction).isGreaterThanOrEqualTo(240);
    }

    private static TrtcServiceException error(String action, String code) {
        return new TrtcServiceException(action, code, "message", "req-1", 200);
    }

    @Test
    void helpers_classifyCodesAsTheDefaultRetryPolicyDoes() {
        assertThat(error("CreateCloudRecording", TrtcErrorCodes.Common.REQUEST_LIMIT_EXCEEDED_UIN_LIMIT_EXCEEDED))
                .satisfies(e -> {
                    assertThat(e.isThrottle()).isTrue();
                    assertThat(e.isRetryable()).as("never executed, so safe to send again").isTrue();
                    assertThat(e.isAuthFailure()).isFalse();
                });
        assertThat(error("DescribeRoomInfo", TrtcErrorCodes.Common.AUTH_FAILURE_SIGNATURE_FAILURE).isAuthFailure()).isTrue();
        assertThat(error("DescribeRoomInfo", "UnauthorizedOperation.SdkAppId").isAuthFailure()).isTrue();
        assertThat(error("DescribeRoomInfo", TrtcErrorCodes.Common.INTERNAL_ERROR).isRetryable())
                .as("a read-only action").isTrue();
        assertThat(error("CreateCloudRecording", "InternalError.DBError").isRetryable())
                .as("a second start could start twice").isFalse();
        assertThat(error("CreateCloudRecording", "InternalError.DBError").isTransient()).isTrue();
        assertThat(error("DescribeCloudRecording", TrtcErrorCodes.Common.RESOURCE_NOT_FOUND).isRetryable()).isFalse();
        assertThat(error("NoSuchAction", TrtcErrorCodes.Common.INTERNAL_ERROR).isRetryable())
                .as("an action the catalogue does not know is not known to be read-only").isFalse();
    }
}
