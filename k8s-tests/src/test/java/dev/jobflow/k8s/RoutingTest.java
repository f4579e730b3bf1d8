package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/** Ingress and Gateway API routes: who serves which path, and WebSocket-friendly timeouts. */
class RoutingTest {

    @Test
    void nginxIngressGivesOnlyTheHubLongTimeouts() {
        Rendered rendered = Chart.render("defaults");
        Ingress hub = rendered.one(Ingress.class, "jobflow-progress-hub");
        assertThat(hub.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-send-timeout", "3600");
        assertThat(hub.getSpec().getRules().get(0).getHttp().getPaths())
                .extracting(p -> p.getPath() + "->" + p.getBackend().getService().getName())
                .containsExactly("/ws->jobflow-progress-hub", "/api/v1/messages->jobflow-progress-hub");
        Ingress api = rendered.one(Ingress.class, "jobflow-job-api");
        assertThat(api.getMetadata().getAnnotations()).isNullOrEmpty();
        assertThat(api.getSpec().getRules().get(0).getHttp().getPaths()).extracting(p -> p.getPath())
                .containsExactly("/");
        assertThat(rendered.all(HTTPRoute.class)).isEmpty();
    }

    @Test
    void genericIngressCarriesNoControllerAnnotationsAndTls() {
        Rendered rendered = Chart.render("scale-to-zero");
        for (Ingress ingress : rendered.all(Ingress.class)) {
            assertThat(ingress.getMetadata().getAnnotations()).isNullOrEmpty();
            assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("traefik");
            assertThat(ingress.getSpec().getTls().get(0).getSecretName()).isEqualTo("jobflow-tls");
        }
    }

    @Test
    void gatewayApiRoutesReplaceTheIngress() {
        Rendered rendered = Chart.render("gateway-api");
        assertThat(rendered.all(Ingress.class)).isEmpty();
        HTTPRoute hub = rendered.one(HTTPRoute.class, "jobflow-progress-hub");
        assertThat(hub.getSpec().getParentRefs().get(0).getName()).isEqualTo("public");
        assertThat(hub.getSpec().getHostnames()).containsExactly("jobflow.example.com");
        var rule = hub.getSpec().getRules().get(0);
        assertThat(rule.getTimeouts().getRequest()).isEqualTo("0s");
        assertThat(rule.getMatches()).extracting(m -> m.getPath().getValue()).containsExactly("/ws", "/api/v1/messages");
        assertThat(rule.getBackendRefs().get(0).getPort()).isEqualTo(8082);
        HTTPRoute api = rendered.one(HTTPRoute.class, "jobflow-job-api");
        assertThat(api.getSpec().getRules().get(0).getTimeouts()).isNull();
        assertThat(api.getSpec().getRules().get(0).getBackendRefs().get(0).getName()).isEqualTo("jobflow-job-api");
        // the gateway's namespace may reach the public services
        NetworkPolicy policy = rendered.one(NetworkPolicy.class, "jobflow-progress-hub");
        assertThat(namespacesAllowedIn(policy)).contains("gateway-system").doesNotContain("ingress-nginx");
    }

    @Test
    void theDispatcherIsNotReachableFromTheIngressController() {
        NetworkPolicy dispatcher = Chart.render("defaults").one(NetworkPolicy.class, "jobflow-dispatcher");
        assertThat(namespacesAllowedIn(dispatcher)).containsExactly("keda", "monitoring");
        NetworkPolicy hub = Chart.render("defaults").one(NetworkPolicy.class, "jobflow-progress-hub");
        assertThat(namespacesAllowedIn(hub)).containsExactly("keda", "monitoring", "ingress-nginx");
    }

    private static List<String> namespacesAllowedIn(NetworkPolicy policy) {
        return policy.getSpec().getIngress().stream().flatMap(rule -> rule.getFrom().stream())
                .filter(peer -> peer.getNamespaceSelector() != null)
                .map(peer -> peer.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name")).toList();
    }
}
