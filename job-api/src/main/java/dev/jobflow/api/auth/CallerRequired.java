package dev.jobflow.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The {@link Right} a resource method needs. {@link CallerFilter} identifies the caller of every
 * job-api endpoint before its body is read or validated (401 without an identity, except in local
 * mode) and refuses one whose role lacks the right (403); the method reads the caller from
 * {@link CurrentCaller}. A method without this annotation needs {@link Right#READ}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface CallerRequired {
    Right value() default Right.READ;
}
