package io.github.trtcreactive.reactor.page;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.trtcreactive.core.model.DescribeRoomInfoRequest;
import io.github.trtcreactive.core.model.DescribeUserInfoRequest;
import io.github.trtcreactive.core.model.RoomState;
import io.github.trtcreactive.emulator.EmulatorClock;
import io.github.trtcreactive.emulator.PagedTotal;
import io.github.trtcreactive.emulator.RecordedRequest;
import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import io.github.trtcreactive.reactor.ratelimit.TrtcRateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The paginators against the emulator's room and user listings. */
class PaginatorsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private TrtcEmulator emulator;
    private TrtcAsyncClient client;
    private Paginators paginators;
    private DescribeRoomInfoRequest rooms;

    @BeforeEach
    void start() {
        Instant t0 = Instant.now();
        emulator = TrtcEmulator.builder().clock(EmulatorClock.fixed(t0)).rateLimits(false).start();
        for (int i = 0; i < 25; i++) {
            emulator.rooms().join("room-" + i, "host-" + i);
            emulator.clock().advance(Duration.ofSeconds(1));
        }
        client = TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials()).endpoint(emulator.uri())
                .rateLimiter(TrtcRateLimiter.disabled()).build();
        paginators = Paginators.create(client);
        long now = emulator.clock().instant().getEpochSecond();
        rooms = DescribeRoomInfoRequest.builder().sdkAppId(emulator.sdkAppId()).startTime(now - 3600).endTime(now)
                .pageSize(10L).build();
    }

    @AfterEach
    void stop() {
        client.close();
        emulator.close();
    }

    private List<RecordedRequest> pageCalls() {
        return emulator.requests("DescribeRoomInfo");
    }

    @Test
    void items_acrossPages_inOrder_stoppingAfterTheLastPage() {
        StepVerifier.create(paginators.describeRoomInfo(rooms).map(RoomState::roomString))
                .expectNext("room-24", "room-23")
                .expectNextCount(23)
                .expectComplete()
                .verify(WAIT);

        assertThat(pageCalls()).extracting(r -> r.body().get("PageNumber").asLong()).containsExactly(0L, 1L, 2L);
    }

    @Test
    void demandingOneItem_fetchesExactlyOnePage() {
        StepVerifier.create(paginators.describeRoomInfo(rooms), 1)
                .expectNextCount(1)
                .then(() -> StepVerifier.create(Mono.delay(Duration.ofMillis(200))).expectNextCount(1)
                        .expectComplete().verify(WAIT))
                .then(() -> assertThat(pageCalls()).hasSize(1))
                .thenRequest(9)
                .expectNextCount(9)
                .then(() -> assertThat(pageCalls()).as("the first page covers ten items").hasSize(1))
                .thenRequest(1)
                .expectNextCount(1)
                .thenCancel()
                .verify(WAIT);
        assertThat(pageCalls()).hasSize(2);
    }

    @Test
    void pages_underTheDocumentedTotal_listEverything_endingAtTheFirstEmptyPage() {
        // The default emulator answers Total = the records on the page, as documented (10, 10, 5).
        StepVerifier.create(paginators.describeRoomInfo(rooms).count())
                .expectNext(25L).expectComplete().verify(WAIT);
        StepVerifier.create(paginators.describeRoomInfoPages(rooms.toBuilder().pageSize(5L).build()))
                .expectNextCount(6)
                .expectComplete()
                .verify(WAIT);

        assertThat(pageCalls()).as("3 calls, then 25 rooms in pages of 5: five full ones and an empty one")
                .hasSize(3 + 6);
    }

    @Test
    void pages_underTheGrandTotalReading_stopAtTheTotal_evenWhenTheLastPageIsFull() {
        try (TrtcEmulator grand = reopen(PagedTotal.ALL_MATCHING);
                TrtcAsyncClient other = clientOf(grand)) {
            StepVerifier.create(Paginators.create(other).describeRoomInfoPages(roomsOf(grand, 5)))
                    .expectNextCount(5)
                    .expectComplete()
                    .verify(WAIT);
            assertThat(grand.requests("DescribeRoomInfo")).as("25 rooms in pages of 5: five calls, no sixth").hasSize(5);
        }
    }

    @Test
    void pages_withoutTotal_endAtTheFirstShortOrEmptyPage() {
        try (TrtcEmulator none = reopen(PagedTotal.OMITTED);
                TrtcAsyncClient other = clientOf(none)) {
            StepVerifier.create(Paginators.create(other).describeRoomInfo(roomsOf(none, 10)).count())
                    .expectNext(25L).expectComplete().verify(WAIT);
            assertThat(none.requests("DescribeRoomInfo")).hasSize(3);
        }
    }

    private TrtcEmulator reopen(PagedTotal reading) {
        TrtcEmulator other = TrtcEmulator.builder().clock(EmulatorClock.fixed(Instant.now())).rateLimits(false)
                .pagedTotal(reading).start();
        for (int i = 0; i < 25; i++) {
            other.rooms().join("room-" + i, "host-" + i);
            other.clock().advance(Duration.ofSeconds(1));
        }
        return other;
    }

    private static TrtcAsyncClient clientOf(TrtcEmulator emulator) {
        return TrtcAsyncClient.builder().region("ap-singapore").credentials(emulator.credentials()).endpoint(emulator.uri())
                .rateLimiter(TrtcRateLimiter.disabled()).build();
    }

    private static DescribeRoomInfoRequest roomsOf(TrtcEmulator emulator, long pageSize) {
        long now = emulator.clock().instant().getEpochSecond();
        return DescribeRoomInfoRequest.builder().sdkAppId(emulator.sdkAppId()).startTime(now - 3600).endTime(now)
                .pageSize(pageSize).build();
    }

    @Test
    void usersOfARoom_andAnEmptyListing() {
        String commId = paginators.describeRoomInfo(rooms).filter(r -> r.roomString().equals("room-3")).blockFirst(WAIT)
                .commId();
        emulator.rooms().join("room-3", "guest-a", "guest-b");
        long now = emulator.clock().instant().getEpochSecond();

        StepVerifier.create(paginators.describeUserInfo(DescribeUserInfoRequest.builder().sdkAppId(emulator.sdkAppId())
                        .commId(commId).startTime(now - 3600).endTime(now).pageSize(2L).build()))
                .expectNextMatches(u -> u.userId().equals("host-3"))
                .expectNextCount(2)
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(paginators.describeRoomInfo(rooms.toBuilder().roomId("no-such-room").build()))
                .expectComplete()
                .verify(WAIT);
        StepVerifier.create(Flux.from(paginators.describeRoomInfo(rooms)).take(3).count())
                .expectNext(3L).expectComplete().verify(WAIT);
    }
}
