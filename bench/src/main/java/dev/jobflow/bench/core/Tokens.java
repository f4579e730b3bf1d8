package dev.jobflow.bench.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Subscriber tokens as job-api issues them (HS256 JWT, issuer "jobflow", claims {@code rooms} and
 * {@code room_prefixes}), signed with the bench run's secret so the harness can open thousands of
 * connections under distinct subjects.
 */
public final class Tokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    public static String mint(String subject, List<String> rooms, List<String> prefixes, Duration validFor) {
        long now = Instant.now().getEpochSecond();
        JsonObject claims = new JsonObject().put("iss", "jobflow").put("sub", subject).put("iat", now)
                .put("exp", now + validFor.toSeconds()).put("rooms", new JsonArray(rooms))
                .put("room_prefixes", new JsonArray(prefixes));
        String signingInput = b64(new JsonObject().put("alg", "HS256").put("typ", "JWT").encode()) + "."
                + b64(claims.encode());
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(ServiceSettings.TOKEN_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return signingInput + "." + B64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(String json) {
        return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
