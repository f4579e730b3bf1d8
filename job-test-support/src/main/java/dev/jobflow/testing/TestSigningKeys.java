package dev.jobflow.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * Key pairs in the PEM form an operator gives job-api as {@code JOBFLOW_TOKEN_SIGNING_KEY}: a PKCS#8
 * {@code PRIVATE KEY} block and its X.509 {@code PUBLIC KEY} block, as
 * {@code openssl genpkey ...; openssl pkey -pubout} write them.
 */
public final class TestSigningKeys {
    private TestSigningKeys() {
    }

    /** A new EC key pair on {@code curve} (e.g. {@code secp256r1}), as PEM. */
    public static String ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return pem(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new RSA key pair of {@code bits}, as PEM. */
    public static String rsa(int bits) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            return pem(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key block of {@code pem} alone (no public key), or its public block alone. */
    public static String block(String pem, String type) {
        int start = pem.indexOf("-----BEGIN " + type + "-----");
        String end = "-----END " + type + "-----";
        return pem.substring(start, pem.indexOf(end, start) + end.length()) + "\n";
    }

    public static String pem(KeyPair pair) {
        return block("PRIVATE KEY", pair.getPrivate().getEncoded()) + block("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
