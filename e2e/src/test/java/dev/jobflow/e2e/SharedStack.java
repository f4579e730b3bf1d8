package dev.jobflow.e2e;

import java.io.IOException;
import java.util.Map;

import dev.jobflow.testing.ServiceStack;
import dev.jobflow.testing.TestIdentityProvider;
import dev.jobflow.testing.TestSigningKeys;

/**
 * The stack JobFlowIT, AccessIT and JobMonitorPageIT share (started by the first of them, stopped
 * when the test JVM ends): starting three services costs more than most of these tests' own work.
 * Each class keeps its data apart (its own owners, names, queues and keys) and leaves nothing running
 * behind it. Classes that need a stack of another kind start their own: RequestFuzzIT (its requests
 * must target nothing that exists, and it compares every table's rows), DatabaseRestartIT (takes the
 * database away), LocalRunnerIT and EmbeddedDbUpIT (bin/jobflow's own services).
 */
final class SharedStack {
    private static OtlpReceiver otlp;
    private static TestIdentityProvider idp;
    private static String signingKey;

    private SharedStack() {
    }

    /**
     * People reach job-api through an authenticating proxy (it trusts {@code X-Forwarded-User} and
     * {@code -Groups}); services reach it with keys. One dispatcher with 4 slots, cycles of 3 s (the
     * page shows the last one) and a 300 ms heartbeat (a cancel lands within it). Every service exports
     * its traces to {@link #otlp()}. job-api and the hub also take the tokens of {@link #idp()} (OIDC).
     * job-api signs hub tokens ES256 with {@link #signingKey()}; the hub verifies them with the public
     * key job-api publishes and holds no secret.
     */
    static ServiceStack stack() throws IOException, InterruptedException {
        return ServiceStack.shared("e2e", Map.ofEntries(
                Map.entry("JOBFLOW_API_AUTH_TRUST_PROXY_HEADER", "true"),
                Map.entry("JOBFLOW_API_AUTH_OIDC_ISSUER", idp().issuer()),
                Map.entry("JOBFLOW_HUB_AUTH_OIDC_ISSUER", idp().issuer()),
                Map.entry("JOBFLOW_TOKEN_SIGNING_KEY", signingKey()),
                Map.entry("JOBFLOW_DISPATCHER_SLOTS", "4"),
                Map.entry("JOBFLOW_DISPATCHER_CYCLE_LENGTH", "3s"),
                Map.entry("JOBFLOW_DISPATCHER_HEARTBEAT_INTERVAL", "300ms"),
                Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", otlp().endpoint()),
                Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
                Map.entry("OTEL_BSP_SCHEDULE_DELAY", "100")));
    }

    /** The identity provider (OIDC) whose people the shared stack's job-api and hub accept (one for the JVM). */
    static synchronized TestIdentityProvider idp() {
        if (idp == null) {
            idp = TestIdentityProvider.start();
        }
        return idp;
    }

    /** The key pair (PEM) the shared stack's job-api signs hub tokens with (one for the JVM). */
    static synchronized String signingKey() {
        if (signingKey == null) {
            signingKey = TestSigningKeys.ec("secp256r1");
        }
        return signingKey;
    }

    /** The OTLP/HTTP receiver the shared stack exports its traces to (one for the JVM). */
    static synchronized OtlpReceiver otlp() throws IOException {
        if (otlp == null) {
            otlp = new OtlpReceiver();
            OtlpReceiver started = otlp;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop the OTLP receiver"));
        }
        return otlp;
    }
}
