package io.github.trtcreactive.benchmarks;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import com.tencentcloudapi.common.AbstractModel;
import com.tencentcloudapi.common.JsonResponseErrModel;
import com.tencentcloudapi.common.JsonResponseModel;
import com.tencentcloudapi.common.Sign;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.trtc.v20190722.models.DescribeCloudRecordingResponse;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.TimeZone;
import javax.xml.bind.DatatypeConverter;

/**
 * The official SDK's own steps for the operations we compare, made callable one at a time. Its
 * client does them inside one private method per request, so this class repeats the same sequence
 * with the SDK's public pieces: {@code Sign.sha256Hex} and {@code Sign.hmac256} for TC3 signing,
 * {@code AbstractModel.toJsonString} for serialization, and Gson into {@code JsonResponseModel}
 * for parsing (first as an error model, then as the typed response, as its client does).
 */
final class OfficialSdkPath {

    private static final Gson GSON = new Gson();
    private static final Type ERROR_TYPE = new TypeToken<JsonResponseModel<JsonResponseErrModel>>() {}.getType();
    private static final Type DESCRIBE_TYPE = new TypeToken<JsonResponseModel<DescribeCloudRecordingResponse>>() {}
            .getType();

    private OfficialSdkPath() {}

    /** The Authorization header for a JSON POST, computed the way the official client does. */
    static String authorization(String secretId, String secretKey, String host, long timestamp, byte[] payload)
            throws TencentCloudSDKException {
        String contentType = "application/json; charset=utf-8";
        String canonicalRequest = "POST\n/\n\ncontent-type:" + contentType + "\nhost:" + host + "\n\n"
                + "content-type;host\n" + Sign.sha256Hex(payload);
        SimpleDateFormat format = new SimpleDateFormat("yyyy-MM-dd");
        format.setTimeZone(TimeZone.getTimeZone("UTC"));
        String date = format.format(new java.util.Date(timestamp * 1000));
        String scope = date + "/trtc/tc3_request";
        String stringToSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n"
                + Sign.sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
        byte[] secretDate = Sign.hmac256(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
        byte[] secretService = Sign.hmac256(secretDate, "trtc");
        byte[] secretSigning = Sign.hmac256(secretService, "tc3_request");
        String signature = DatatypeConverter.printHexBinary(Sign.hmac256(secretSigning, stringToSign)).toLowerCase();
        return "TC3-HMAC-SHA256 Credential=" + secretId + "/" + scope + ", SignedHeaders=content-type;host, Signature="
                + signature;
    }

    /** The request body, as the official client serializes it. */
    static byte[] serialize(AbstractModel request) {
        return AbstractModel.toJsonString(request).getBytes(StandardCharsets.UTF_8);
    }

    /** A DescribeCloudRecording reply decoded as the official client decodes it. */
    static DescribeCloudRecordingResponse parseDescribe(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8);
        JsonResponseModel<JsonResponseErrModel> error = GSON.fromJson(text, ERROR_TYPE);
        if (error.response.error != null) {
            throw new IllegalStateException("error reply, request " + error.response.requestId);
        }
        JsonResponseModel<DescribeCloudRecordingResponse> typed = GSON.fromJson(text, DESCRIBE_TYPE);
        return typed.response;
    }
}
