package dev.jobflow.core.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API keys as every service takes them: presented in {@code X-Api-Key} or as
 * {@code Authorization: Bearer <key>}, looked up by their SHA-256 (hex), the only form a database stores.
 */
public final class ApiKeyHeaders {
    /** The header a producer or service may send its key in (instead of {@code Authorization}). */
    public static final String X_API_KEY = "X-Api-Key";
    /** Longer values are never a key; they are refused without a lookup. */
    public static final int MAX_KEY_LENGTH = 200;

    private static final String BEARER = "Bearer ";

    private ApiKeyHeaders() {
    }

    /**
     * Whether the request presents a credential at all: an {@code X-Api-Key} or an
     * {@code Authorization} header, whatever its value. A presented credential that is not a valid
     * key (empty, another scheme such as {@code Basic}, unknown, revoked) must be refused: it is never
     * taken for "no identity".
     */
    public static boolean anyPresented(String xApiKey, String authorization) {
        return xApiKey != null || authorization != null;
    }

    /**
     * The key the request presents: {@code X-Api-Key} if sent, else the {@code Authorization: Bearer}
     * credential; empty when neither carries a non-blank value (see {@link #anyPresented}).
     */
    public static Optional<String> presented(String xApiKey, String authorization) {
        String key = xApiKey != null ? xApiKey
                : authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                        ? authorization.substring(BEARER.length())
                        : null;
        return key == null || key.isBlank() ? Optional.empty() : Optional.of(key.strip());
    }

    /** The SHA-256 of the key's UTF-8 bytes, lower-case hex (64 characters), as stored. */
    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
