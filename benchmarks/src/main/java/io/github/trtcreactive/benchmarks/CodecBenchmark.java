package io.github.trtcreactive.benchmarks;

import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import io.github.trtcreactive.core.TrtcApi;
import io.github.trtcreactive.core.model.CreateCloudRecordingRequest;
import io.github.trtcreactive.core.model.DescribeCloudRecordingResponse;
import io.github.trtcreactive.core.protocol.TrtcProtocol;
import io.github.trtcreactive.core.signer.Tc3Signer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-call CPU work of a client, ours and the official SDK's side by side on the same inputs:
 * TC3 signing of a CreateCloudRecording body, serializing that request, and parsing a
 * DescribeCloudRecording reply with three files. Average time per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    private CreateCloudRecordingRequest request;
    private com.tencentcloudapi.trtc.v20190722.models.CreateCloudRecordingRequest officialRequest;
    private byte[] payload;

    /** Builds the inputs once. */
    @Setup
    public void setUp() {
        request = Fixtures.createRequest();
        officialRequest = Fixtures.officialCreateRequest();
        payload = TrtcProtocol.encode("CreateCloudRecording", request);
    }

    /** @return our Authorization header */
    @Benchmark
    public String signTrtcReactive() {
        return Tc3Signer.sign(Fixtures.CREDENTIALS, TrtcApi.SERVICE, Fixtures.HOST, Fixtures.TIMESTAMP,
                TrtcApi.CONTENT_TYPE, payload).authorization();
    }

    /** @return the official SDK's Authorization header */
    @Benchmark
    public String signOfficialSdk() throws TencentCloudSDKException {
        return OfficialSdkPath.authorization(Fixtures.CREDENTIALS.secretId(), Fixtures.CREDENTIALS.secretKey(),
                Fixtures.HOST, Fixtures.TIMESTAMP, payload);
    }

    /** @return our request body */
    @Benchmark
    public byte[] serializeTrtcReactive() {
        return TrtcProtocol.encode("CreateCloudRecording", request);
    }

    /** @return the official SDK's request body */
    @Benchmark
    public byte[] serializeOfficialSdk() {
        return OfficialSdkPath.serialize(officialRequest);
    }

    /** @return our decoded reply */
    @Benchmark
    public DescribeCloudRecordingResponse parseTrtcReactive() {
        return TrtcProtocol.decode("DescribeCloudRecording", 200, Fixtures.DESCRIBE_REPLY,
                DescribeCloudRecordingResponse.class);
    }

    /** @return the official SDK's decoded reply */
    @Benchmark
    public com.tencentcloudapi.trtc.v20190722.models.DescribeCloudRecordingResponse parseOfficialSdk() {
        return OfficialSdkPath.parseDescribe(Fixtures.DESCRIBE_REPLY);
    }
}
