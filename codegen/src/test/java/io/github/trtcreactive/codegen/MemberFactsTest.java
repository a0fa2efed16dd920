package io.github.trtcreactive.codegen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The member facts of the committed spec: shared value sets, what is checked, and the extractor's patterns. */
class MemberFactsTest {

    private static Spec spec() throws IOException {
        return Spec.read(Path.of("spec/trtc-2019-07-22.json"));
    }

    @Test
    void everySharedValueSet_hasTheSameValuesAndMeaningsInEveryMemberUsingIt() throws IOException {
        Map<String, List<Spec.Member>> users = new LinkedHashMap<>();
        spec().objects().forEach((type, object) -> object.members().forEach(m -> {
            if (m.facts() != null && m.facts().valueSet() != null) {
                users.computeIfAbsent(m.facts().valueSet(), k -> new ArrayList<>()).add(m);
            }
        }));
        assertThat(users).isNotEmpty();
        users.forEach((set, members) -> {
            assertThat(members).as(set).hasSizeGreaterThan(1);
            for (Spec.Member m : members) {
                assertThat(m.facts().values()).as(set + " in " + m.name()).isEqualTo(members.get(0).facts().values());
                assertThat(m.type()).isEqualTo(members.get(0).type());
                assertThat(m.facts().values()).allSatisfy(v -> assertThat(v.name()).isNotNull());
                assertThat(m.facts().values()).allSatisfy(v -> assertThat(v.meaning()).isNotBlank());
            }
        });
    }

    @Test
    void theGenerator_refusesASharedValueSetWhoseMembersDisagree() throws IOException {
        Spec mini = Spec.read(Path.of("src/test/resources/golden/mini-spec.json"));
        Map<String, Spec.ObjectType> objects = new LinkedHashMap<>(mini.objects());
        Spec.ObjectType item = objects.get("Item");
        List<Spec.Member> members = new ArrayList<>();
        for (Spec.Member m : item.members()) {
            if (m.name().equals("Channels")) {
                Spec.Facts f = m.facts();
                m = new Spec.Member(m.name(), m.type(), m.element(), m.required(), m.nullable(), m.deprecated(),
                        m.sites(), new Spec.Facts(f.unit(), f.min(), f.max(), f.defaultValue(), f.maxLength(),
                                f.maxItems(), List.of(new Spec.Value("1", "MONO", "one channel"),
                                        new Spec.Value("2", "STEREO", "two channels, mixed")), f.valueSet(), f.sites(),
                                f.notes(), f.checked()));
            }
            members.add(m);
        }
        objects.put("Item", new Spec.ObjectType(item.kind(), item.sites(), members));
        Spec changed = new Spec(mini.service(), mini.version(), mini.secretMembers(), mini.actions(), objects,
                mini.errorCodes());

        assertThatThrownBy(() -> Generate.generate(changed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("value set Channels");
    }

    @Test
    void rulesBetweenMembers_areCheckedAgainstTheirType_whenTheSpecIsDerived() throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = Spec.mapper();
        List<Spec.Member> members = List.of(new Spec.Member("StartTime", "int", null, true, false, null, List.of("intl")),
                new Spec.Member("EndTime", "int", null, true, false, null, List.of("intl")),
                new Spec.Member("Day", "string", null, false, false, null, List.of("intl")));
        assertThat(DeriveSpec.rules(json.readTree("[{\"kind\":\"period\",\"members\":[\"StartTime\",\"EndTime\"],"
                + "\"max\":3600,\"format\":\"EPOCH_SECONDS\"}]"), "T", members)).singleElement()
                .satisfies(r -> assertThat(r.max()).isEqualTo(3600));
        assertThatThrownBy(() -> DeriveSpec.rules(json.readTree("[{\"kind\":\"period\",\"members\":[\"StartTime\",\"Day\"],"
                + "\"max\":3600,\"format\":\"EPOCH_SECONDS\"}]"), "T", members))
                .hasMessageContaining("Day is not of the period's format EPOCH_SECONDS");
        assertThatThrownBy(() -> DeriveSpec.rules(json.readTree("[{\"kind\":\"atMost\",\"members\":[\"PageSize\"],"
                + "\"max\":6}]"), "T", members)).hasMessageContaining("names no member: PageSize");
        assertThatThrownBy(() -> DeriveSpec.rules(json.readTree("[{\"kind\":\"atMost\",\"members\":[\"StartTime\"],"
                + "\"max\":6,\"when\":\"DataType\"}]"), "T", members)).hasMessageContaining("names no member: DataType");
        // the derived spec holds the documented periods of the quality and usage queries
        Spec spec = spec();
        assertThat(spec.objects().get("DescribeRoomInfoRequest").rules()).singleElement()
                .satisfies(r -> assertThat(r.max()).isEqualTo(86_400));
        assertThat(spec.objects().values().stream().mapToLong(t -> t.rules().size()).sum()).isEqualTo(17);
    }

    @Test
    void theRoomIdTypes_ofActionsThatMeanOppositeThings_haveOppositeValues() throws IOException {
        Spec spec = spec();
        for (String stringFirst : List.of("CreateCloudRecordingRequest", "CreateCloudSliceTaskRequest",
                "CreateCloudModerationRequest", "StartStreamIngestRequest")) {
            assertThat(valueOf(spec, stringFirst, "RoomIdType", "STRING")).as(stringFirst).isEqualTo("0");
        }
        for (String integerFirst : List.of("StartAIConversationRequest", "StartAITranscriptionRequest",
                "CreateCloudTranscriptionRequest", "StartPublishCdnStreamRequest", "MixUserInfo")) {
            assertThat(valueOf(spec, integerFirst, "RoomIdType", "STRING")).as(integerFirst).isEqualTo("1");
        }
    }

    private static String valueOf(Spec spec, String type, String member, String name) {
        return spec.objects().get(type).members().stream().filter(m -> m.name().equals(member)).findFirst()
                .orElseThrow().facts().values().stream().filter(v -> name.equals(v.name())).findFirst().orElseThrow()
                .value();
    }

    @Test
    void theExtractor_readsUnitsRangesDefaultsAndValues_fromBothSitesWordings() {
        FactsExtractor.Found cn = FactsExtractor.read("int",
                "房间内持续没有主播的状态超过MaxIdleTime的时长，自动停止录制，单位：秒。默认值为 30 秒，该值需大于等于 5秒，且小于等于 86400秒(24小时)。");
        assertThat(cn.unit()).isEqualTo("s");
        assertThat(cn.min()).isEqualTo(5L);
        assertThat(cn.max()).isEqualTo(86400L);
        assertThat(cn.defaultValue()).isEqualTo("30");
        FactsExtractor.Found en = FactsExtractor.read("int", "Recording stops automatically after MaxIdleTime. measurement"
                + " unit: second. default value: 30 seconds. the value must be greater than or equal to 5 seconds and"
                + " less than or equal to 86400 seconds (24 hours).");
        assertThat(en).isEqualTo(cn);
        FactsExtractor.Found values = FactsExtractor.read("int", "0: string type; 1: 32-bit integer type (default value).");
        assertThat(values.values()).containsExactly(0L, 1L);
        assertThat(values.defaultValue()).isEqualTo("1");
        assertThat(FactsExtractor.read("list", "要移出的用户列表，最多10个。").maxItems()).isEqualTo(10L);
        assertThat(FactsExtractor.read("list", "List of up to 10 users to be removed").maxItems()).isEqualTo(10L);
        // a bound on something else (the interval between two times) is not the member's maximum
        assertThat(FactsExtractor.read("int", "注意：与StartTime间隔时间不超过24小时。").max()).isNull();
        // an example value is not a default
        assertThat(FactsExtractor.read("int", "类型。示例值：1").defaultValue()).isNull();
    }

    @Test
    void reviewedFacts_areTheOnlyOnesChecked_andCoverEveryFamily() throws IOException {
        int checked = 0;
        int units = 0;
        int valueSets = 0;
        for (Spec.ObjectType object : spec().objects().values()) {
            for (Spec.Member m : object.members()) {
                if (m.facts() == null) {
                    continue;
                }
                checked += m.facts().checked() == null ? 0 : m.facts().checked().size();
                units += m.facts().unit() == null ? 0 : 1;
                valueSets += ModelWriter.hasValueSet(m) ? 1 : 0;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(60);
        assertThat(units).isGreaterThanOrEqualTo(100);
        assertThat(valueSets).isGreaterThanOrEqualTo(25);
    }
}
