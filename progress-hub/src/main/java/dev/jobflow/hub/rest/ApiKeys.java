package dev.jobflow.hub.rest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.core.store.Credentials;

/** Producer API keys: the presented key is hashed (SHA-256) and looked up; revoked keys never match. */
@ApplicationScoped
public class ApiKeys {
    private final Credentials credentials;

    ApiKeys(Credentials credentials) {
        this.credentials = credentials;
    }

    /** The key's name, if the key is known and not revoked. */
    public Uni<Optional<String>> check(String key) {
        if (key == null || key.isBlank() || key.length() > ApiKeyHeaders.MAX_KEY_LENGTH) {
            return Uni.createFrom().item(Optional.empty());
        }
        return credentials.producerKeyName(ApiKeyHeaders.sha256(key));
    }
}
