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

    /** A person's (viewer's) token as job-api issues it: its rooms and the rooms of its own jobs (own_jobs). */
    public static String ownJobsToken(String subject, List<String> rooms) {
        Instant now = Instant.now();
        return Jwt.issuer("jobflow").subject(subject).claim("rooms", rooms).claim("room_prefixes", List.of())
                .claim("own_jobs", true).issuedAt(now.minusSeconds(1)).expiresAt(now.plus(Duration.ofMinutes(5)))
                .signWithSecret(TEST_SECRET);
    }

    public static String token(String subject, List<String> rooms, List<String> prefixes, Duration ttl, String secret) {
        Instant now = Instant.now();
        return Jwt.issuer("jobflow").subject(subject).claim("rooms", rooms).claim("room_prefixes", prefixes)
                .issuedAt(now.minusSeconds(1)).expiresAt(now.plus(ttl)).signWithSecret(secret);
    }
}
