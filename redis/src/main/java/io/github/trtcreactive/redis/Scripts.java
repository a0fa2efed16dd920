package io.github.trtcreactive.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The store's server-side scripts, read from the jar once, with the SHA-1 Redis knows them by. */
enum Scripts {
    RESERVE("reserve.lua"),
    RELEASE("release.lua"),
    REGISTER("register.lua"),
    PUBLISH("publish.lua");

    private final String source;
    private final String sha1;

    Scripts(String resource) {
        try (InputStream in = Scripts.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("script " + resource + " is missing from the jar");
            }
            this.source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            this.sha1 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is not available", e);
        }
    }

    String source() {
        return source;
    }

    String sha1() {
        return sha1;
    }
}
