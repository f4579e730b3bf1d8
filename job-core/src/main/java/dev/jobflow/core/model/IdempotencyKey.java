package dev.jobflow.core.model;

import java.util.Objects;

/**
 * An idempotency key as the caller that presented it owns it: the same {@code key} from another
 * {@code caller} is another key. {@code caller} names the identity, e.g. {@code key:billing} for
 * an API key or {@code user:alice} for a person.
 */
public record IdempotencyKey(String caller, String key) {
    public IdempotencyKey {
        Objects.requireNonNull(caller, "caller");
        Objects.requireNonNull(key, "key");
    }
}
