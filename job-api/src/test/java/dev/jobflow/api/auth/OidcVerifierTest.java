package dev.jobflow.api.auth;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jobflow.core.auth.OidcVerifier;
import dev.jobflow.testing.TestIdentityProvider;

/** OIDC tokens against a real identity provider over HTTP (discovery, JWKS, rotation); no Quarkus. */
class OidcVerifierTest {
    private static TestIdentityProvider idp;
    private static OidcVerifier verifier;

    @BeforeAll
    static void start() throws Exception {
        idp = new TestIdentityProvider();
        verifier = new OidcVerifier(idp.issuer(), TestIdentityProvider.AUDIENCE, Optional.empty(), "preferred_username",
                "groups");
    }

    @AfterAll
    static void stop() {
        idp.close();
    }

    @Test
    void aValidTokenNamesItsUserAndGroups() throws Exception {
        OidcVerifier.Identity identity = verifier.verify(idp.token("alice", List.of("staff", "jobflow-operator")));
        assertThat(identity.user()).isEqualTo("alice");
        assertThat(identity.groups()).containsExactlyInAnyOrder("staff", "jobflow-operator");
        assertThat(identity.expiresAt()).isInTheFuture();
    }

    @Test
    void forgedExpiredForeignAndUnsignedTokensAreRefused() {
        assertRefused(idp.forged("mallory"), "signature");
        assertRefused(idp.token("alice", List.of(), c -> c.setExpirationTime(NumericDate.fromSeconds(
                NumericDate.now().getValue() - 120))), "expired");
        assertRefused(idp.token("alice", List.of(), c -> c.setAudience("another-service")), "audience");
        assertRefused(idp.token("alice", List.of(), c -> c.setIssuer("https://evil.example/realms/test")), "issued");
        assertRefused(idp.unsigned("mallory"), "not a valid token");
        assertRefused(idp.hmacWithPublicKey("mallory"), "not a valid token");
        assertRefused(idp.token("alice", List.of(), c -> c.unsetClaim("preferred_username")), "preferred_username");
        assertRefused(idp.token("not a name", List.of()), "not a valid user name");
        assertRefused("eyJhbGciOiJSUzI1NiJ9.not-json.x", "not a valid token");
    }

    @Test
    void aRotatedKeyIsFetchedWhenATokenNamesItAndTheOldKeysTokensAreRefused() throws Exception {
        String before = idp.token("alice", List.of());
        verifier.verify(before);
        int fetches = idp.jwksFetches();

        idp.rotate();
        String after = idp.token("alice", List.of());
        // an unknown key id refetches the set (at most one refetch per 300 ms: jose4j's reprieve)
        until("the rotated key is accepted", Duration.ofSeconds(5), () -> accepted(after));
        assertThat(verifier.verify(after).user()).isEqualTo("alice");
        assertThat(idp.jwksFetches()).as("the key set was fetched again for the new key id").isGreaterThan(fetches);
        assertRefused(before, "not a valid token");
    }

    @Test
    void anUnreachableProviderIsUnavailableNotARefusal() {
        OidcVerifier nowhere = new OidcVerifier("http://127.0.0.1:9/realms/none", "jobflow", Optional.empty(),
                "preferred_username", "groups");
        assertThatThrownBy(() -> nowhere.verify(idp.token("alice", List.of())))
                .isInstanceOf(OidcVerifier.Unavailable.class).hasMessageContaining("discovery");
    }

    @Test
    void onlyJwtShapedCredentialsAreTakenForTokens() {
        assertThat(OidcVerifier.looksLikeJwt("jfk_0123456789abcdef")).isFalse();
        assertThat(OidcVerifier.looksLikeJwt(idp.token("alice", List.of()))).isTrue();
        assertThat(OidcVerifier.looksLikeJwt(null)).isFalse();
    }

    private static boolean accepted(String token) {
        try {
            verifier.verify(token);
            return true;
        } catch (OidcVerifier.Refused e) {
            return false;
        }
    }

    private static void assertRefused(String token, String reason) {
        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(OidcVerifier.Refused.class)
                .hasMessageContaining(reason).message().doesNotContain(token.substring(0, Math.min(20, token.length())));
    }
}
