package dev.jobflow.core.auth;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A job-api caller key found by its hash (table {@code job_api_keys}): its name, its role
 * ({@code viewer}, {@code operator} or {@code admin}) and, for an operator limited to given queues,
 * those queues (V024; null: every queue).
 */
public record JobApiKey(String name, String role, Set<String> queues) {

    /** A key whose role applies to every queue. */
    public JobApiKey(String name, String role) {
        this(name, role, null);
    }

    /** The key of a row whose {@code queues} column is {@code column} (comma-separated, or null). */
    public static JobApiKey of(String name, String role, String column) {
        return new JobApiKey(name, role, column == null || column.isBlank() ? null
                : Set.copyOf(new LinkedHashSet<>(Arrays.asList(column.split(",")))));
    }
}
