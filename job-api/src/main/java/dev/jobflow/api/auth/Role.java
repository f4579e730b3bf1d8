package dev.jobflow.api.auth;

import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * What a caller may do, each role including the one before: a viewer reads and submits its own jobs
 * (and cancels them), an operator reads and acts on every job (retry, cancel, delete, bulk, pause and
 * resume queues, run schedules), an admin also manages queues and schedules and reads the audit log.
 */
public enum Role {
    VIEWER,
    OPERATOR,
    ADMIN;

    /** Whether this role includes {@code other}. */
    public boolean includes(Role other) {
        return compareTo(other) >= 0;
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The role named {@code viewer}, {@code operator} or {@code admin} (any case). */
    public static Optional<Role> named(String name) {
        for (Role role : values()) {
            if (role.json().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
