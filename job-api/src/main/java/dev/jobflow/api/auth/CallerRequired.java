package dev.jobflow.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a resource method that needs an identified {@link Caller} (every write): {@link CallerFilter}
 * answers 401 before the body is read when there is none, and the method reads it from {@link CurrentCaller}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CallerRequired {
}
