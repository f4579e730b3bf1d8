package dev.jobflow.api.auth;

import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonValue;

import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobQuery;

/**
 * Who makes a request. A service with an API key is trusted to submit for any user; a person (named
 * by the trusted proxy header, the identity provider's token, or the configured anonymous user)
 * submits only as themselves. What either may read and do is its {@link Role}; an operator may be
 * limited to given queues.
 *
 * @param name the key's name, or the user's name
 * @param via how the caller was identified
 * @param role what the caller may do: from the key's row, the person's groups, or the local mode's role
 * @param queues an operator's queues: it reads and acts on their jobs (and its own as a viewer), no
 *        others; null: every queue (an admin, an operator not limited, or a viewer, who has none)
 */
public record Caller(String name, Via via, Role role, Set<String> queues) {

    public Caller {
        queues = queues == null || role != Role.OPERATOR ? null : Set.copyOf(queues);
    }

    /** A caller whose role applies to every queue. */
    public Caller(String name, Via via, Role role) {
        this(name, via, role, null);
    }

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

    /** Whether this caller acts on every job of {@code queue}: an admin, an operator of it. */
    public boolean operates(String queue) {
        return role.includes(Role.OPERATOR) && (queues == null || queues.contains(queue));
    }

    /** Refuses ({@link ForbiddenException}: 403) a queue this caller does not operate. */
    public void mustOperate(String queue) {
        if (!operates(queue)) {
            throw new ForbiddenException(role.includes(Role.OPERATOR)
                    ? "'" + name + "' operates the queues " + queues + " only, not '" + queue + "'"
                    : "'" + name + "' (" + role.json() + ") operates no queue");
        }
    }

    /** Whether this caller reads and acts on every job: an admin, an operator not limited to queues. */
    public boolean operatesEveryQueue() {
        return role.includes(Role.OPERATOR) && queues == null;
    }

    /** Whether this caller may read {@code job}: its own, or one of a queue it operates. */
    public boolean maySee(Job job) {
        return name.equals(job.owner()) || operates(job.queue());
    }

    /**
     * Whether this caller may list the jobs of {@code owner}: its own, or anyone's as an operator
     * (an operator limited to queues then sees those of its queues only: {@link #visibility()}).
     */
    public boolean mayList(String owner) {
        return role.includes(Role.OPERATOR) || name.equals(owner);
    }

    /** What a job list is narrowed to for this caller: nothing for who operates every queue. */
    public JobQuery.Visibility visibility() {
        return operatesEveryQueue() ? null
                : new JobQuery.Visibility(name, role.includes(Role.OPERATOR) ? queues : Set.of());
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
