package io.github.trtcreactive.core.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ActionCatalogueTest {

    private final ActionCatalogue catalogue = ActionCatalogue.standard();

    @Test
    void all_listsTheEightyOneActionsOfBothSites() {
        assertThat(catalogue.all()).hasSize(81);
        assertThat(catalogue.all()).filteredOn(a -> a.sites().contains(Site.INTERNATIONAL)).hasSize(58);
        assertThat(catalogue.all()).filteredOn(a -> a.sites().contains(Site.CHINA)).hasSize(78);
    }

    @Test
    void rateLimits_followTheDocumentation() {
        assertThat(catalogue.find("DescribeCloudRecording").orElseThrow().rateLimit())
                .isEqualTo(new RateLimit(20, Duration.ofSeconds(1), RateLimit.Basis.DOCUMENTED));
        for (String usage : new String[] {"DescribeTrtcUsage", "DescribeRecordingUsage",
                "DescribeMixTranscodingUsage", "DescribeRelayUsage"}) {
            assertThat(catalogue.find(usage).orElseThrow().rateLimit().permits()).as(usage).isEqualTo(5);
        }
        RateLimit roomUsage = catalogue.find("DescribeTrtcRoomUsage").orElseThrow().rateLimit();
        assertThat(roomUsage.permits()).isEqualTo(1);
        assertThat(roomUsage.period()).isEqualTo(Duration.ofSeconds(15));
        assertThat(catalogue.find("StartWebRecord").orElseThrow().rateLimit().basis())
                .isEqualTo(RateLimit.Basis.ASSUMED);
        assertThat(catalogue.all()).filteredOn(a -> a.rateLimit().basis() == RateLimit.Basis.DOCUMENTED).hasSize(40);
    }

    @Test
    void taskFamilies_haveTheirRoles() {
        TrtcAction create = catalogue.find("CreateCloudRecording").orElseThrow();
        assertThat(create.taskFamily()).contains(TaskFamily.CLOUD_RECORDING);
        assertThat(create.taskRole()).contains(TaskRole.START);
        assertThat(catalogue.find("DescribeStreamIngest").orElseThrow().taskRole()).contains(TaskRole.DESCRIBE);
        assertThat(catalogue.find("DescribeStreamIngest").orElseThrow().isReadOnly()).isTrue();
        assertThat(catalogue.find("RemoveUser").orElseThrow().taskFamily()).isEmpty();
        assertThat(catalogue.all()).filteredOn(a -> a.taskRole().orElse(null) == TaskRole.DESCRIBE)
                .extracting(TrtcAction::name).hasSize(10);
    }

    @Test
    void resolve_unknownAction_assumesTheCommonLimit_andRejectsBadNames() {
        TrtcAction unknown = catalogue.resolve("DescribeSomethingNew");

        assertThat(catalogue.find("DescribeSomethingNew")).isEmpty();
        assertThat(unknown.rateLimit().permits()).isEqualTo(20);
        assertThat(unknown.rateLimit().basis()).isEqualTo(RateLimit.Basis.ASSUMED);
        assertThatThrownBy(() -> catalogue.resolve("describe room")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requireKnown_misspelledName_suggestsTheNearestAndItsStringRoomTwin() {
        assertThat(catalogue.requireKnown("DismissRoom", "x").name()).isEqualTo("DismissRoom");
        assertThatThrownBy(() -> catalogue.requireKnown("DismisRoom", "retryPolicy(action, policy)"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retryPolicy(action, policy): unknown action \"DismisRoom\"")
                .hasMessageContaining("did you mean DismissRoom or DismissRoomByStrRoomId?");
        assertThatThrownBy(() -> catalogue.requireKnown("describecloudrecording", "limit"))
                .hasMessageContaining("did you mean DescribeCloudRecording?");
        assertThatThrownBy(() -> catalogue.requireKnown("Zzzzzzzzzzzzzzzzzzzz", "limit"))
                .hasMessageNotContaining("did you mean");
    }

    @Test
    void regions_comeFromTheDocumentationAndTheRegionalDomains() {
        assertThat(catalogue.find("DescribeStreamIngest").orElseThrow().regions()).hasValueSatisfying(r ->
                assertThat(r).containsExactly("ap-bangkok", "ap-jakarta", "ap-mumbai", "ap-singapore"));
        assertThat(catalogue.find("DescribeTRTCRealTimeScaleData").orElseThrow().regions()).hasValue(java.util.Set.of());
        assertThat(catalogue.regions()).contains("ap-guangzhou", "ap-jakarta", "na-toronto", "eu-frankfurt")
                .doesNotContain("mars-1");
        assertThatThrownBy(() -> catalogue.requireKnownRegion("mars-1", "TENCENTCLOUD_REGION"))
                .hasMessageContaining("TENCENTCLOUD_REGION: unknown region \"mars-1\"")
                .hasMessageContaining("ap-singapore");
    }
}
