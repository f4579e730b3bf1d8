package dev.jobflow.api.auth;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Who makes a request. A service with an API key is trusted to submit for any user; a person (named
 * by the trusted proxy header, or the configured anonymous user) submits only as themselves. What
 * either may read and do is its {@link Role}.
 *
 * @param name the key's name, or the user's name
 * @param via how the caller was identified
 * @param role what the caller may do: from the key's row, the proxy's groups, or the local mode's role
 */
public record Caller(String name, Via via, Role role) {

    public enum Via {
        /** An API key from {@code job_api_keys}: a trusted service. */
        KEY,
        /** The user header set by the authenticating proxy. */
        PROXY,
        /** A bearer token of the OIDC identity provider. */
        OIDC,
        /** No identity; {@code jobflow.api.auth.anonymous-user} (local development). */
        ANONYMOUS;

        @JsonValue
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Whether this caller may read the jobs of {@code owner} (null: everyone's): its own, or any as an operator. */
    public boolean maySee(String owner) {
        return role.includes(Role.OPERATOR) || name.equals(owner);
    }

    /** Whether this caller may act for {@code user}: a key for anyone, a person only for themselves. */
    public boolean mayActFor(String user) {
        return via == Via.KEY || name.equals(user);
    }

    /** The user a request acts for: the one it names, else (a person) the caller; null for a key naming none. */
    public String userFor(String named) {
        return named != null ? named : via == Via.KEY ? null : name;
    }

    /**
     * Whose idempotency keys this caller's are: {@code key:<name>} for a service, {@code user:<name>}
     * for a person (however identified). Keys of different callers never match each other.
     */
    public String idempotencyScope() {
        return (via == Via.KEY ? "key:" : "user:") + name;
    }
}
