package dev.jobflow.core.auth;

import java.util.Optional;

import io.smallrye.config.WithDefault;

/**
 * The identity provider whose bearer tokens a service verifies ({@link OidcVerifier}): a config group
 * job-api ({@code jobflow.api.auth.oidc}) and the hub ({@code jobflow.hub.auth.oidc}) share. Off
 * unless an issuer is set.
 */
public interface OidcConfig {

    /**
     * The provider's issuer URL, exactly as its tokens' {@code iss} (Keycloak:
     * {@code https://<host>/realms/<realm>}; Entra ID: {@code https://login.microsoftonline.com/<tenant>/v2.0}).
     * Its {@code /.well-known/openid-configuration} names the keys. Default: unset (OIDC off).
     */
    Optional<String> issuer();

    /** The audience a token must carry ({@code aud}): the client id or API the provider issues them for. */
    @WithDefault("jobflow")
    String audience();

    /** The key set's URL, when discovery should not be used. Default: the discovery document's {@code jwks_uri}. */
    Optional<String> jwksUrl();

    /** The claim naming the user (the owner of their jobs). */
    @WithDefault("preferred_username")
    String userClaim();

    /** The claim listing the user's groups or roles. */
    @WithDefault("groups")
    String groupsClaim();

    /** The verifier of these settings, or empty when no issuer is set. */
    default Optional<OidcVerifier> verifier() {
        return issuer().map(issuer -> new OidcVerifier(issuer, audience(), jwksUrl(), userClaim(), groupsClaim()));
    }
}
