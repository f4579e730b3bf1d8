package dev.jobflow.api.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import io.smallrye.jwt.build.Jwt;

import dev.jobflow.testing.TestSigningKeys;

/**
 * The key pair job-api signs hub tokens with: read from PEM, refused with the reason when it cannot
 * work, and what it signs verifies against the JWKS it publishes (and nothing else does).
 */
class TokenSigningKeyTest {

    @Test
    void anEcP256PairSignsEs256AndItsJwksVerifiesWhatItSigns() throws Exception {
        checkSignsAndVerifies(TestSigningKeys.ec("secp256r1"), "ES256", "EC");
    }

    @Test
    void anRsaPairSignsRs256AndItsJwksVerifiesWhatItSigns() throws Exception {
        checkSignsAndVerifies(TestSigningKeys.rsa(2048), "RS256", "RSA");
    }

    private static void checkSignsAndVerifies(String pem, String algorithm, String keyType) throws Exception {
        TokenSigningKey key = TokenSigningKey.fromPem(pem);
        assertThat(key.algorithm().getAlgorithm()).isEqualTo(algorithm);
        assertThat(key.publicJwk()).containsEntry("kty", keyType).containsEntry("alg", algorithm)
                .containsEntry("use", "sig").containsEntry("kid", key.keyId()).doesNotContainKey("d");
        String token = Jwt.issuer("jobflow").audience("jobflow-hub").subject("alice").expiresIn(60).jws()
                .keyId(key.keyId()).algorithm(key.algorithm()).sign(key.privateKey());
        JsonWebKeySet published = new JsonWebKeySet(List.of(JsonWebKey.Factory.newJwk(key.publicJwk())));
        JwtClaims claims = new JwtConsumerBuilder().setExpectedIssuer("jobflow").setExpectedAudience("jobflow-hub")
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(published.getJsonWebKeys())).build()
                .processToClaims(token);
        assertThat(claims.getSubject()).isEqualTo("alice");

        // another pair's JWKS does not verify it
        TokenSigningKey other = TokenSigningKey.fromPem(TestSigningKeys.ec("secp256r1"));
        JsonWebKey foreign = JsonWebKey.Factory.newJwk(other.publicJwk());
        foreign.setKeyId(key.keyId());
        assertThatThrownBy(() -> new JwtConsumerBuilder().setExpectedIssuer("jobflow")
                .setExpectedAudience("jobflow-hub").setVerificationKeyResolver(new JwksVerificationKeyResolver(
                        List.of(foreign)))
                .build().processToClaims(token)).isInstanceOf(Exception.class);
    }

    @Test
    void aKeyThatCannotWorkIsRefusedSayingWhyWithoutQuotingIt() {
        String ec = TestSigningKeys.ec("secp256r1");
        String privateOnly = TestSigningKeys.block(ec, "PRIVATE KEY");
        String mismatched = privateOnly + TestSigningKeys.block(TestSigningKeys.ec("secp256r1"), "PUBLIC KEY");
        assertThatThrownBy(() -> TokenSigningKey.fromPem(privateOnly)).hasMessageContaining("PUBLIC KEY")
                .hasMessageNotContaining(privateOnly.lines().skip(1).findFirst().orElseThrow());
        assertThatThrownBy(() -> TokenSigningKey.fromPem(mismatched)).hasMessageContaining("not a pair");
        assertThatThrownBy(() -> TokenSigningKey.fromPem(TestSigningKeys.rsa(1024))).hasMessageContaining("2048");
        assertThatThrownBy(() -> TokenSigningKey.fromPem(TestSigningKeys.ec("secp384r1")))
                .hasMessageContaining("P-256");
        assertThatThrownBy(() -> TokenSigningKey.fromPem("not a key")).hasMessageContaining("PRIVATE KEY");
        assertThatThrownBy(() -> TokenSigningKey.fromPem(ec.replace("PRIVATE KEY", "RSA PRIVATE KEY")))
                .hasMessageContaining("RSA PRIVATE KEY block");
    }
}
