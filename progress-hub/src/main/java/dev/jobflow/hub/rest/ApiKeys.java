package dev.jobflow.hub.rest;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.auth.ApiKeyHeaders;
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
        if (key == null || key.isBlank() || key.length() > ApiKeyHeaders.MAX_KEY_LENGTH) {
            return Uni.createFrom().item(Optional.empty());
        }
        return log.apiKeyName(ApiKeyHeaders.sha256(key));
    }
}
