package dev.jobflow.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A write that records its own audit row, in the transaction of what it writes where it can
 * ({@code POST /api/v1/jobs}: the job and its row commit together), so that {@link AuditFilter}
 * does not record it again.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AuditsItself {
}
