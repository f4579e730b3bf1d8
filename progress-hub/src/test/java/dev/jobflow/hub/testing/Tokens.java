package dev.jobflow.hub.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.smallrye.jwt.build.Jwt;

/** Signs subscriber tokens for tests, as job-api does. */
public final class Tokens {
    public static final String TEST_SECRET = "test-only-secret-test-only-secret-0123456789";

    private Tokens() {
    }

    public static String token(String subject, List<String> rooms, List<String> prefixes) {
        return token(subject, rooms, prefixes, Duration.ofMinutes(5), TEST_SECRET);
    }

    public static String token(String subject, List<String> rooms, List<String> prefixes, Duration ttl, String secret) {
        Instant now = Instant.now();
        return Jwt.issuer("jobflow").subject(subject).claim("rooms", rooms).claim("room_prefixes", prefixes)
                .issuedAt(now.minusSeconds(1)).expiresAt(now.plus(ttl)).signWithSecret(secret);
    }
}
