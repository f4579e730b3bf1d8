package dev.jobflow.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;

/**
 * The key pair job-api signs hub tokens with instead of the shared HS256 secret: RS256 (RSA, 2048
 * bits or more) or ES256 (EC P-256). Its public half is published as a JWKS
 * ({@code GET /api/v1/tokens/jwks}) that the hubs fetch, so no hub holds a secret that could sign a
 * token. Read from PEM text holding a {@code PRIVATE KEY} (PKCS#8) and its {@code PUBLIC KEY} (X.509)
 * block, as {@code openssl genpkey} and {@code openssl pkey -pubout} write them; the two must be a
 * pair. The private key is never logged or shown.
 */
public final class TokenSigningKey {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----");

    private final PrivateKey privateKey;
    private final SignatureAlgorithm algorithm;
    private final PublicJsonWebKey jwk;

    private TokenSigningKey(PrivateKey privateKey, SignatureAlgorithm algorithm, PublicJsonWebKey jwk) {
        this.privateKey = privateKey;
        this.algorithm = algorithm;
        this.jwk = jwk;
    }

    /** The key of {@code pem}; {@link IllegalArgumentException} saying what is wrong (never quoting the key). */
    public static TokenSigningKey fromPem(String pem) {
        byte[] privateDer = null;
        byte[] publicDer = null;
        Matcher blocks = BLOCK.matcher(pem);
        while (blocks.find()) {
            byte[] der = Base64.getMimeDecoder().decode(blocks.group(2));
            switch (blocks.group(1)) {
                case "PRIVATE KEY" -> privateDer = der;
                case "PUBLIC KEY" -> publicDer = der;
                default -> throw new IllegalArgumentException("the token signing key holds a " + blocks.group(1)
                        + " block: give a PKCS#8 PRIVATE KEY and its PUBLIC KEY (openssl genpkey; openssl pkey -pubout)");
            }
        }
        if (privateDer == null || publicDer == null) {
            throw new IllegalArgumentException("the token signing key needs a PRIVATE KEY (PKCS#8) and its PUBLIC KEY "
                    + "block (openssl genpkey ... -out key.pem; openssl pkey -in key.pem -pubout >> key.pem)");
        }
        try {
            PublicKey publicKey = publicKey(publicDer);
            SignatureAlgorithm algorithm = algorithm(publicKey);
            PrivateKey privateKey = KeyFactory.getInstance(publicKey.getAlgorithm())
                    .generatePrivate(new PKCS8EncodedKeySpec(privateDer));
            checkPair(privateKey, publicKey, algorithm);
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(publicKey);
            jwk.setKeyId(jwk.calculateBase64urlEncodedThumbprint("SHA-256"));
            jwk.setAlgorithm(algorithm.getAlgorithm());
            jwk.setUse("sig");
            return new TokenSigningKey(privateKey, algorithm, jwk);
        } catch (GeneralSecurityException | JoseException e) {
            throw new IllegalArgumentException("the token signing key cannot be read: " + e.getClass().getSimpleName());
        }
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        for (String type : new String[] { "RSA", "EC" }) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this type: try the next
            }
        }
        throw new IllegalArgumentException("the token signing key's PUBLIC KEY is neither RSA nor EC");
    }

    private static SignatureAlgorithm algorithm(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            if (rsa.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("the token signing key is RSA of " + rsa.getModulus().bitLength()
                        + " bits: use 2048 or more");
            }
            return SignatureAlgorithm.RS256;
        }
        if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
            return SignatureAlgorithm.ES256;
        }
        throw new IllegalArgumentException("the token signing key must be RSA (RS256) or EC P-256 (ES256)");
    }

    /** Signs a probe and verifies it: a private key that is not the public key's half is refused at start. */
    private static void checkPair(PrivateKey privateKey, PublicKey publicKey, SignatureAlgorithm algorithm)
            throws GeneralSecurityException {
        String jca = algorithm == SignatureAlgorithm.RS256 ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] probe = "jobflow".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance(jca);
        signer.initSign(privateKey);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(jca);
        verifier.initVerify(publicKey);
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new IllegalArgumentException("the token signing key's PRIVATE KEY and PUBLIC KEY are not a pair");
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public SignatureAlgorithm algorithm() {
        return algorithm;
    }

    /** The key id tokens name in {@code kid}: the public key's JWK thumbprint (RFC 7638). */
    public String keyId() {
        return jwk.getKeyId();
    }

    /** The public key as a JWK (no private part). */
    public Map<String, Object> publicJwk() {
        return jwk.toParams(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }
}
