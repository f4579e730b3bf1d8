package dev.jobflow.api.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Who may write to job-api (submit, cancel, hub tokens); reads stay open. A caller is a service with
 * an API key (table {@code job_api_keys}), a person named by a trusted proxy header, or, for local
 * development only, the anonymous user.
 */
@ConfigMapping(prefix = "jobflow.api.auth")
public interface AuthConfig {

    /**
     * Whether {@link #userHeader()} is trusted: set it only when every request reaches job-api through
     * an authenticating proxy (e.g. oauth2-proxy) that sets the header and strips it from clients.
     * Otherwise the header is ignored. Env {@code JOBFLOW_API_AUTH_TRUST_PROXY_HEADER}; default {@code false}.
     */
    @WithDefault("false")
    boolean trustProxyHeader();

    /**
     * The request header naming the authenticated user, set by the proxy. Env
     * {@code JOBFLOW_API_AUTH_USER_HEADER}; default {@code X-Forwarded-User}.
     */
    @WithDefault("X-Forwarded-User")
    String userHeader();

    /**
     * Local development: a write without any identity acts as this user (a WARN at start-up says so).
     * Never set in production. Env {@code JOBFLOW_API_AUTH_ANONYMOUS_USER}; default: unset (such a write
     * gets 401).
     */
    Optional<String> anonymousUser();
}
