package dev.jobflow.hub.rest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.core.auth.KeyCache;
import dev.jobflow.core.store.Credentials;

/**
 * Producer API keys: the presented key is hashed (SHA-256) and looked up, or found among the keys
 * kept while the key tables do not change ({@link KeyCache}); a revoked key stops matching at most
 * 0.5 s after the revoke commits.
 */
@ApplicationScoped
public class ApiKeys {
    private final Credentials credentials;
    private final KeyCache<String> names;

    ApiKeys(Credentials credentials) {
        this.credentials = credentials;
        this.names = KeyCache.of(credentials);
    }

    /** The key's name, if the key is known and not revoked. */
    public Uni<Optional<String>> check(String key) {
        if (key == null || key.isBlank() || key.length() > ApiKeyHeaders.MAX_KEY_LENGTH) {
            return Uni.createFrom().item(Optional.empty());
        }
        return names.get(ApiKeyHeaders.sha256(key), credentials::producerKeyName);
    }
}
