package dev.jobflow.api.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import dev.jobflow.core.auth.OidcConfig;

/**
 * Every setting of job-api (prefix {@code jobflow.api}), one root validated at start-up
 * ({@link ApiConfigCheck}); the store's settings live under {@code jobflow.store} (job-core), the
 * HTTP port is {@code JOBFLOW_API_PORT}. README's configuration table lists each with its
 * environment variable.
 */
@ConfigMapping(prefix = "jobflow.api")
public interface ApiConfig {

    /**
     * Whether a job of a type no dispatcher registered (table {@code job_types}) may be submitted: for
     * submitting ahead of a deploy of the dispatchers that will run it. Such a job's params are not
     * checked at submit (the dispatcher checks them before it runs the job). Env
     * {@code JOBFLOW_API_SUBMIT_UNKNOWN_TYPES}; default {@code false} (a {@code 400} naming {@code type}).
     */
    @WithDefault("false")
    boolean submitUnknownTypes();

    /** Who the caller is (API keys, the trusted proxy header, the local anonymous user) and its role. */
    Auth auth();

    /** The queue gauges on {@code /q/metrics}. */
    Metrics metrics();

    /** The job-monitor page. */
    Page page();

    /** Subscriber tokens for the progress hub. */
    Tokens tokens();

    /** The Swagger UI. */
    SwaggerUi swaggerUi();

    /** The Swagger UI over job-api's OpenAPI document (the document itself, {@code /q/openapi}, is always served). */
    interface SwaggerUi {

        /**
         * Whether job-api serves the Swagger UI at {@code /q/swagger-ui}. Env {@code JOBFLOW_API_SWAGGER_UI_ENABLED};
         * default: on in local mode ({@code jobflow.api.auth.anonymous-user} set, as {@code bin/jobflow up} does),
         * off otherwise.
         */
        Optional<Boolean> enabled();
    }

    /**
     * Who may call job-api: every endpoint needs an identity and a role (docs/security.md). A caller is a
     * service with an API key (table {@code job_api_keys}, its role in the row), a person named by a
     * trusted proxy header (its role from the groups header), or, for local development only, the
     * anonymous user.
     */
    interface Auth {

        /**
         * The request header in which the proxy lists the user's groups (comma-separated), read only when
         * {@link #trustProxyHeader()} is set; mapped to a role by {@link #adminGroups()} and {@link #operatorGroups()}. Env
         * {@code JOBFLOW_API_AUTH_GROUPS_HEADER}; default {@code X-Forwarded-Groups} (oauth2-proxy's).
         */
        @WithDefault("X-Forwarded-Groups")
        String groupsHeader();

        /**
         * Groups (of {@link #groupsHeader()}) whose members are admins. Env
         * {@code JOBFLOW_API_AUTH_ADMIN_GROUPS}; default {@code jobflow-admin}.
         */
        @WithDefault("jobflow-admin")
        List<String> adminGroups();

        /**
         * Groups whose members are operators; a person in neither list is a viewer. Env
         * {@code JOBFLOW_API_AUTH_OPERATOR_GROUPS}; default {@code jobflow-operator}.
         */
        @WithDefault("jobflow-operator")
        List<String> operatorGroups();

        /**
         * The prefix of the groups that make a person an operator of one queue: a member of
         * {@code jobflow-operator:reports} reads and acts on the jobs of the queue {@code reports} (and its
         * own), no others; several such groups add up. An admin or operator group gives more. Env
         * {@code JOBFLOW_API_AUTH_QUEUE_OPERATOR_GROUP_PREFIX}; default {@code jobflow-operator:}.
         */
        @WithDefault("jobflow-operator:")
        String queueOperatorGroupPrefix();

        /**
         * The role of the anonymous user (local mode). Env {@code JOBFLOW_API_AUTH_ANONYMOUS_ROLE}; default
         * {@code admin} (one person on their own machine does everything).
         */
        @WithDefault("admin")
        String anonymousRole();

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

        /**
         * OIDC bearer tokens of the identity provider the users already have (docs/security.md): a
         * request with {@code Authorization: Bearer <JWT>} is verified against the provider's keys; the
         * groups claim gives the role as the proxy's groups do. Env {@code JOBFLOW_API_AUTH_OIDC_ISSUER},
         * {@code _AUDIENCE}, {@code _JWKS_URL}, {@code _USER_CLAIM}, {@code _GROUPS_CLAIM}.
         */
        OidcConfig oidc();
    }

    /** The queue gauges job-api exports on {@code /q/metrics} (for an HPA without KEDA). */
    interface Metrics {

        /**
         * How often the {@code jobflow_queue_*} gauges are refreshed from the database (a scrape never
         * queries it). Env {@code JOBFLOW_API_METRICS_REFRESH}; default {@code 5s}.
         */
        @WithDefault("5s")
        Duration refresh();
    }

    /**
     * Settings of the job-monitor page served by job-api (the store's settings live under
     * {@code jobflow.store}, the hub tokens' under {@code jobflow.api.tokens}).
     */
    interface Page {

        /**
         * The progress-hub's base URL as the browser reaches it; the job-monitor page connects its
         * WebSocket there. Env {@code JOBFLOW_HUB_URL}; default {@code http://localhost:8082}.
         */
        @WithDefault("http://localhost:8082")
        String hubUrl();
    }

    /** Subscriber tokens issued by job-api for the progress hub (prefix {@code jobflow.api.tokens}). */
    interface Tokens {

        /**
         * HS256 secret (at least 32 bytes), the same as the hub's {@code jobflow.hub.auth.token-secret}; unset:
         * the random one both services share through the database.
         */
        Optional<String> secret();

        /**
         * The key pair hub tokens are signed with instead of {@link #secret()}: PEM text with a PKCS#8
         * {@code PRIVATE KEY} (RSA of 2048 bits or more: RS256; EC P-256: ES256) and its {@code PUBLIC KEY}.
         * Its public half is served at {@code GET /api/v1/tokens/jwks}; hubs set
         * {@code jobflow.hub.auth.token-jwks-url} to it and hold no secret. Env {@code JOBFLOW_TOKEN_SIGNING_KEY}.
         */
        Optional<String> signingKey();

        /** How long a token is valid; clients refresh before it ends. */
        @WithDefault("15m")
        Duration ttl();

        /** The issuer claim; must match the hub's {@code jobflow.hub.auth.issuer}. */
        @WithDefault("jobflow")
        String issuer();
    }
}
