package dev.jobflow.hub.rest;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.store.ProgressLog;

/** Producer API keys: the presented key is hashed (SHA-256) and looked up; revoked keys never match. */
@ApplicationScoped
public class ApiKeys {
    private final ProgressLog log;

    ApiKeys(ProgressLog log) {
        this.log = log;
    }

    /** The key's name, if the key is known and not revoked. */
    public Uni<Optional<String>> check(String key) {
        if (key == null || key.isBlank() || key.length() > 200) {
            return Uni.createFrom().item(Optional.empty());
        }
        return log.apiKeyName(sha256(key));
    }

    public static String sha256(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
