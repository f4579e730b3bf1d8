package dev.jobflow.core.auth;

/**
 * A job-api caller key found by its hash (table {@code job_api_keys}): its name and its role
 * ({@code viewer}, {@code operator} or {@code admin}).
 */
public record JobApiKey(String name, String role) {
}
