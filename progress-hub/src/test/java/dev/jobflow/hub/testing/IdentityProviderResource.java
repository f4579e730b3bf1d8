package dev.jobflow.hub.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.jobflow.testing.TestIdentityProvider;

/** The hub of a test accepts the tokens of this real identity provider (OIDC). */
public class IdentityProviderResource implements QuarkusTestResourceLifecycleManager {
    /** One provider for the JVM: the app that trusts it outlives any one test class. */
    public static final TestIdentityProvider IDP = TestIdentityProvider.start();

    @Override
    public Map<String, String> start() {
        return Map.of("jobflow.hub.auth.oidc.issuer", IDP.issuer());
    }

    @Override
    public void stop() {
        // the provider stops with the JVM
    }
}
