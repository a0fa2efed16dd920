package io.github.trtcreactive.examples.spring;

import io.github.trtcreactive.core.usersig.UserSigs;
import io.github.trtcreactive.emulator.TrtcEmulator;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A WebFlux application built on the starter alone: {@link RoomsController} proxies a Describe call,
 * streams a recording's status as server-sent events, and the starter serves TRTC's callbacks on
 * {@code /trtc/callbacks}. Run it with {@code mvn -pl examples-spring-boot spring-boot:run}: without
 * credentials it talks to the embedded emulator.
 */
@SpringBootApplication
public class RoomsApplication {

    /**
     * Starts the application.
     *
     * @param args Spring Boot's arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(RoomsApplication.class, args);
    }

    /**
     * UserSigs for the recording robot: the emulator's key when it runs, else {@code ROOMS_APP_KEY}.
     *
     * @param emulator the embedded emulator, when it runs
     * @param sdkAppId the application's SDKAppID
     * @param appKey the application's key, when not on the emulator
     * @return the UserSig generator
     */
    @Bean
    UserSigs userSigs(ObjectProvider<TrtcEmulator> emulator, @Value("${rooms.sdk-app-id}") long sdkAppId,
            @Value("${ROOMS_APP_KEY:}") String appKey) {
        TrtcEmulator running = emulator.getIfAvailable();
        return running != null ? running.userSigs() : UserSigs.of(sdkAppId, appKey);
    }
}
