package com.example.rooms;

import io.github.trtcreactive.emulator.TrtcEmulator;
import io.github.trtcreactive.emulator.junit.WithTrtcEmulator;
import io.github.trtcreactive.reactor.TrtcAsyncClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

@WithTrtcEmulator
class RoomDirectoryTest {

    @Test
    void listsTheRoomsOfTheLastHour(TrtcAsyncClient client, TrtcEmulator emulator) {
        emulator.rooms().join("room-1", "alice");
        StepVerifier.create(new RoomDirectory(client, emulator.sdkAppId())
                        .lastHour(emulator.clock().instant().getEpochSecond()).count())
                .expectNext(1L)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }
}
