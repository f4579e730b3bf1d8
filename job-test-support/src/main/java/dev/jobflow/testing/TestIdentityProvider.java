package dev.jobflow.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

import com.sun.net.httpserver.HttpServer;

/**
 * A real OIDC identity provider for tests, on a free port of 127.0.0.1: its discovery document and
 * JWKS over HTTP, RSA keys it can rotate, and tokens it signs (plus the bad tokens an attacker would
 * try). {@link #issuer()} is what a service is configured with.
 */
public final class TestIdentityProvider implements AutoCloseable {
    public static final String AUDIENCE = "jobflow";

    private final HttpServer server;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile RsaJsonWebKey key;

    public TestIdentityProvider() throws IOException {
        this.key = newKey();
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/test/.well-known/openid-configuration", exchange -> respond(exchange,
                "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUrl() + "\"}"));
        server.createContext("/realms/test/protocol/openid-connect/certs", exchange -> {
            jwksFetches.incrementAndGet();
            respond(exchange, new JsonWebKeySet(key).toJson());
        });
        server.start();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static RsaJsonWebKey newKey() {
        try {
            RsaJsonWebKey generated = RsaJwkGenerator.generateJwk(2048);
            generated.setKeyId("k-" + UUID.randomUUID());
            generated.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            generated.setUse("sig");
            return generated;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A provider for the rest of the JVM's life (a test profile's, whose app outlives any one test). */
    public static TestIdentityProvider start() {
        try {
            TestIdentityProvider provider = new TestIdentityProvider();
            Runtime.getRuntime().addShutdownHook(new Thread(provider::close));
            return provider;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/test";
    }

    /** The address of the key set it publishes (what discovery names). */
    public String jwksUrl() {
        return issuer() + "/protocol/openid-connect/certs";
    }

    /** Replaces the signing key with a new one (a new key id); the old one is no longer published. */
    public void rotate() {
        key = newKey();
    }

    /** How often the key set was fetched. */
    public int jwksFetches() {
        return jwksFetches.get();
    }

    /** A valid token for {@code user} in {@code groups}, for five minutes. */
    public String token(String user, List<String> groups) {
        return token(user, groups, claims -> {
        });
    }

    /** A token for {@code user} whose claims {@code change} alters after the valid defaults are set. */
    public String token(String user, List<String> groups, Consumer<JwtClaims> change) {
        return sign(claims(user, groups, change), key, key.getKeyId(), AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** Signed by a key the provider never published, under the current key's id. */
    public String forged(String user) {
        return sign(claims(user, List.of(), c -> {
        }), newKey(), key.getKeyId(), AlgorithmIdentifiers.RSA_USING_SHA256);
    }

    /** {@code alg: none}: no signature at all. */
    public String unsigned(String user) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims(user, List.of("jobflow-admin"), c -> {
        }).toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        jws.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HS256 keyed with the provider's public key (the classic algorithm confusion). */
    public String hmacWithPublicKey(String user) {
        return sign(claims(user, List.of("jobflow-admin"), c -> {
        }), new HmacKey(key.getPublicKey().getEncoded()), key.getKeyId(), AlgorithmIdentifiers.HMAC_SHA256);
    }

    private JwtClaims claims(String user, List<String> groups, Consumer<JwtClaims> change) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer());
        claims.setAudience(AUDIENCE);
        claims.setSubject(UUID.randomUUID().toString());
        claims.setClaim("preferred_username", user);
        claims.setStringListClaim("groups", groups);
        claims.setIssuedAtToNow();
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plusSeconds(300).getEpochSecond()));
        change.accept(claims);
        return claims;
    }

    private static String sign(JwtClaims claims, Object signingKey, String keyId, String algorithm) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(signingKey instanceof RsaJsonWebKey rsa ? rsa.getPrivateKey() : (Key) signingKey);
        jws.setKeyIdHeaderValue(keyId);
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setDoKeyValidation(false);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
