package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/** Renders the chart for every value set and checks what a cluster would be given. */
class ChartRenderTest {

    static Stream<String> valueSets() {
        return ValueSets.names().stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyObjectParsesWithoutUnknownFields(String valueSet) throws IOException {
        Rendered rendered = Chart.render(valueSet);
        Path dump = Path.of("target/rendered", valueSet + ".yaml");
        Files.createDirectories(dump.getParent());
        Files.writeString(dump, rendered.yaml());

        assertThat(rendered.objects()).hasSizeGreaterThan(10);
        for (HasMetadata object : rendered.objects()) {
            String id = object.getKind() + "/" + object.getMetadata().getName();
            if (object instanceof GenericKubernetesResource) {
                assertThat(object.getKind()).as("only KEDA's CRD is untyped: %s", id).isEqualTo("ScaledObject");
                continue;
            }
            assertThat(UnknownFields.of(object)).as("unknown fields in %s", id).isEmpty();
            assertThat(object.getMetadata().getLabels()).as(id).containsEntry("app.kubernetes.io/instance",
                    Chart.RELEASE);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyContainerHasProbesLimitsAndARestrictedContext(String valueSet) {
        Rendered rendered = Chart.renderWithMigrationJob(valueSet);
        List<Deployment> deployments = rendered.all(Deployment.class);
        assertThat(deployments).extracting(d -> d.getMetadata().getName())
                .contains("jobflow-job-api", "jobflow-dispatcher", "jobflow-progress-hub")
                .allMatch(name -> List.of("jobflow-job-api", "jobflow-dispatcher", "jobflow-progress-hub").contains(name)
                        || name.startsWith("jobflow-dispatcher-"), "a service or a dispatcher group");
        for (Deployment deployment : deployments) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            checkPod(deployment.getMetadata().getName(), pod);
            for (Container c : pod.getContainers()) {
                String id = deployment.getMetadata().getName() + "/" + c.getName();
                assertThat(c.getStartupProbe()).as("startup probe of %s", id).isNotNull();
                assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(id).isEqualTo("/q/health/ready");
                assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(id).isEqualTo("/q/health/live");
                assertThat(c.getStartupProbe().getHttpGet().getPath()).as(id).isEqualTo("/q/health/started");
            }
        }
        Job migration = rendered.one(Job.class, "jobflow-migrate");
        checkPod("jobflow-migrate", migration.getSpec().getTemplate().getSpec());
    }

    private static void checkPod(String id, PodSpec pod) {
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).as("pod runAsNonRoot of %s", id).isTrue();
        assertThat(pod.getAutomountServiceAccountToken()).as(id).isFalse();
        assertThat(pod.getEnableServiceLinks()).as("service links of %s", id).isFalse();
        assertThat(pod.getVolumes()).as(id).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("tmp");
            assertThat(v.getEmptyDir()).isNotNull();
        });
        for (Container c : pod.getContainers()) {
            assertThat(c.getResources().getLimits()).as("limits of %s", id).containsKeys("cpu", "memory");
            assertThat(c.getResources().getRequests()).as("requests of %s", id).containsKeys("cpu", "memory");
            var sc = c.getSecurityContext();
            assertThat(sc.getRunAsNonRoot()).as("runAsNonRoot of %s", id).isTrue();
            assertThat(sc.getRunAsUser()).as(id).isPositive();
            assertThat(sc.getReadOnlyRootFilesystem()).as("read-only root of %s", id).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).as(id).isFalse();
            assertThat(sc.getCapabilities().getDrop()).as(id).containsExactly("ALL");
            assertThat(c.getVolumeMounts()).as("/tmp of %s", id)
                    .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void gracePeriodsCoverPreStopAndDrain(String valueSet) {
        for (Deployment deployment : Chart.render(valueSet).all(Deployment.class)) {
            PodSpec pod = deployment.getSpec().getTemplate().getSpec();
            Container c = pod.getContainers().get(0);
            long preStop = c.getLifecycle() == null ? 0
                    : Long.parseLong(c.getLifecycle().getPreStop().getExec().getCommand().get(1));
            // every phase of a shutdown that may take time, in the order they run
            Set<String> phases = Set.of("JOBFLOW_DISPATCHER_DRAIN_GRACE", "JOBFLOW_HUB_SHUTDOWN_TIMEOUT",
                    "JOBFLOW_HUB_DRAIN_PERIOD", "QUARKUS_SHUTDOWN_TIMEOUT");
            assertThat(c.getEnv()).as("drain settings of %s", deployment.getMetadata().getName())
                    .anyMatch(e -> phases.contains(e.getName()));
            long drain = c.getEnv().stream().filter(e -> phases.contains(e.getName()))
                    .mapToLong(e -> Long.parseLong(e.getValue().replace("s", ""))).sum();
            assertThat(pod.getTerminationGracePeriodSeconds()).as(deployment.getMetadata().getName())
                    .isGreaterThan(preStop + drain);
            // the dispatcher and its groups take no traffic
            if (!deployment.getMetadata().getLabels().get("app.kubernetes.io/component").startsWith("dispatcher")) {
                assertThat(preStop).as("traffic-taking %s sleeps before SIGTERM", deployment.getMetadata().getName())
                        .isPositive();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void everyDeploymentHasServicePdbAndNetworkPolicy(String valueSet) {
        Rendered rendered = Chart.render(valueSet);
        for (Deployment deployment : rendered.all(Deployment.class)) {
            Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
            String name = deployment.getMetadata().getName();
            assertThat(rendered.one(Service.class, name).getSpec().getSelector()).isEqualTo(podLabels);
            assertThat(rendered.one(PodDisruptionBudget.class, name).getSpec().getSelector().getMatchLabels())
                    .isEqualTo(podLabels);
            NetworkPolicy policy = rendered.one(NetworkPolicy.class, name);
            assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isEqualTo(podLabels);
            assertThat(policy.getSpec().getEgress()).as("egress of %s", name).isNotEmpty();
        }
        assertThat(rendered.find(NetworkPolicy.class, "jobflow-default-deny")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valueSets")
    void secretAndConfigReferencesResolve(String valueSet) {
        Rendered rendered = Chart.renderWithMigrationJob(valueSet);
        Set<String> external = ValueSets.EXTERNAL_SECRETS.get(valueSet);
        List<EnvVar> env = new ArrayList<>();
        rendered.all(Deployment.class).forEach(d -> d.getSpec().getTemplate().getSpec().getContainers()
                .forEach(c -> env.addAll(c.getEnv())));
        rendered.all(Job.class).forEach(j -> j.getSpec().getTemplate().getSpec().getContainers()
                .forEach(c -> env.addAll(c.getEnv())));
        Set<String> usedExternal = new HashSet<>();
        for (EnvVar var : env) {
            if (var.getValueFrom() == null) {
                continue;
            }
            var secretRef = var.getValueFrom().getSecretKeyRef();
            var configRef = var.getValueFrom().getConfigMapKeyRef();
            if (secretRef != null) {
                var secret = rendered.find(Secret.class, secretRef.getName());
                if (secret.isEmpty()) {
                    assertThat(external).as("Secret %s of %s", secretRef.getName(), var.getName())
                            .contains(secretRef.getName());
                    usedExternal.add(secretRef.getName());
                } else {
                    assertThat(secret.get().getStringData()).as(var.getName()).containsKey(secretRef.getKey());
                }
            }
            if (configRef != null) {
                assertThat(rendered.one(ConfigMap.class, configRef.getName()).getData()).as(var.getName())
                        .containsKey(configRef.getKey());
            }
        }
        assertThat(usedExternal).isEqualTo(external);
    }

    @Test
    void migrationRunsAsAHookAndServicesNeverMigrate() {
        Rendered release = Chart.render("defaults");
        // helm recognised the Job and its Secret copy as hooks: they are not part of the release manifest
        assertThat(release.find(Job.class, "jobflow-migrate")).isEmpty();
        assertThat(release.find(Secret.class, "jobflow-migrate")).isEmpty();
        for (Deployment d : release.all(Deployment.class)) {
            assertThat(Env.plain(d.getSpec().getTemplate().getSpec().getContainers().get(0)))
                    .as(d.getMetadata().getName()).containsEntry("JOBFLOW_MIGRATE_AT_START", "false");
        }

        Job job = Chart.renderWithMigrationJob("defaults").one(Job.class, "jobflow-migrate");
        assertThat(job.getMetadata().getAnnotations()).isNullOrEmpty();
        Container migrate = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(Env.plain(migrate)).containsEntry("JOBFLOW_MIGRATE_AT_START", "true")
                .containsEntry("QUARKUS_INIT_AND_EXIT", "true");
        assertThat(migrate.getImage()).isEqualTo("registry.example.com/jobflow/job-api:0.1.0");
        assertThat(job.getSpec().getTemplate().getSpec().getRestartPolicy()).isEqualTo("Never");
    }

    @Test
    void jobApiTrustsNoProxyHeaderAndHasNoAnonymousUserByDefault() {
        Container api = Chart.render("defaults").one(Deployment.class, "jobflow-job-api").getSpec().getTemplate()
                .getSpec().getContainers().get(0);
        assertThat(Env.plain(api)).containsEntry("JOBFLOW_API_AUTH_TRUST_PROXY_HEADER", "false")
                .containsEntry("JOBFLOW_API_AUTH_USER_HEADER", "X-Forwarded-User")
                .containsEntry("JOBFLOW_API_AUTH_GROUPS_HEADER", "X-Forwarded-Groups")
                .containsEntry("JOBFLOW_API_AUTH_ADMIN_GROUPS", "jobflow-admin")
                .containsEntry("JOBFLOW_API_AUTH_OPERATOR_GROUPS", "jobflow-operator")
                .doesNotContainKey("JOBFLOW_API_AUTH_ANONYMOUS_USER");

        Container proxied = Chart.render(Map.of("jobApi.auth.trustProxyHeader", true,
                "jobApi.auth.userHeader", "X-Auth-Request-User")).one(Deployment.class, "jobflow-job-api").getSpec()
                .getTemplate().getSpec().getContainers().get(0);
        assertThat(Env.plain(proxied)).containsEntry("JOBFLOW_API_AUTH_TRUST_PROXY_HEADER", "true")
                .containsEntry("JOBFLOW_API_AUTH_USER_HEADER", "X-Auth-Request-User");
        assertThat(Env.plain(api)).as("OIDC off by default").doesNotContainKey("JOBFLOW_API_AUTH_OIDC_ISSUER");

        Container oidc = Chart.render(Map.of("jobApi.auth.oidc.issuer", "https://sso.example.com/realms/ops",
                "jobApi.auth.oidc.groupsClaim", "roles")).one(Deployment.class, "jobflow-job-api").getSpec()
                .getTemplate().getSpec().getContainers().get(0);
        assertThat(Env.plain(oidc)).containsEntry("JOBFLOW_API_AUTH_OIDC_ISSUER", "https://sso.example.com/realms/ops")
                .containsEntry("JOBFLOW_API_AUTH_OIDC_AUDIENCE", "jobflow")
                .containsEntry("JOBFLOW_API_AUTH_OIDC_USER_CLAIM", "preferred_username")
                .containsEntry("JOBFLOW_API_AUTH_OIDC_GROUPS_CLAIM", "roles")
                .doesNotContainKey("JOBFLOW_API_AUTH_OIDC_JWKS_URL");
        Container hub = Chart.render(Map.of("jobApi.auth.oidc.issuer", "https://sso.example.com/realms/ops"))
                .one(Deployment.class, "jobflow-progress-hub").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(Env.plain(hub)).as("the hubs take the same provider's tokens")
                .containsEntry("JOBFLOW_HUB_AUTH_OIDC_ISSUER", "https://sso.example.com/realms/ops")
                .containsEntry("JOBFLOW_HUB_AUTH_OIDC_ALL_JOBS_GROUPS", "jobflow-operator,jobflow-admin");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("jobApi.auth.anonymousUser", "local")))
                .hasMessageContaining("anonymousUser");
    }

    @Test
    void withASigningKeyJobApiSignsWithItAndTheHubsFetchItsPublicKeyAndHoldNoSecret() {
        Rendered rendered = Chart.render(Map.of("progressHub.auth.signingKeySecret", "hub-token-key"));
        Container api = rendered.one(Deployment.class, "jobflow-job-api").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(api.getEnv()).anySatisfy(env -> {
            assertThat(env.getName()).isEqualTo("JOBFLOW_TOKEN_SIGNING_KEY");
            assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("hub-token-key");
            assertThat(env.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("signing-key.pem");
        });
        Container hub = rendered.one(Deployment.class, "jobflow-progress-hub").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        assertThat(Env.plain(hub)).containsEntry("JOBFLOW_TOKEN_JWKS_URL",
                "http://jobflow-job-api.jobflow.svc:8080/api/v1/tokens/jwks");
        for (Container service : List.of(api, hub)) {
            assertThat(service.getEnv()).extracting(EnvVar::getName).doesNotContain("JOBFLOW_TOKEN_SECRET");
        }
        assertThat(rendered.one(NetworkPolicy.class, "jobflow-progress-hub").getSpec().getEgress())
                .as("the hubs reach job-api's public key").anySatisfy(rule -> {
                    assertThat(rule.getPorts()).anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(8080));
                    assertThat(rule.getTo().get(0).getPodSelector().getMatchLabels())
                            .containsEntry("app.kubernetes.io/component", "job-api");
                });
        assertThat(Env.plain(Chart.render(Map.of()).one(Deployment.class, "jobflow-progress-hub").getSpec()
                .getTemplate().getSpec().getContainers().get(0))).doesNotContainKey("JOBFLOW_TOKEN_JWKS_URL");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("progressHub.auth.signingKeySecret", "k",
                "progressHub.auth.existingSecret", "s"))).hasMessageContaining("not both");
    }

    @Test
    void oracleBackendReachesEveryServiceAndTheNetworkPolicy() {
        Rendered rendered = Chart.render("oracle");
        assertThat(rendered.one(ConfigMap.class, "jobflow-config").getData()).containsEntry("store-backend", "oracle")
                .containsEntry("database-url", "jdbc:oracle:thin:@//oracle.db.svc:1521/FREEPDB1");
        assertThat(rendered.find(Secret.class, "jobflow-db")).isEmpty();
        assertThat(rendered.find(Secret.class, "jobflow-migrate")).isEmpty();
        NetworkPolicy dispatcher = rendered.one(NetworkPolicy.class, "jobflow-dispatcher");
        assertThat(dispatcher.getSpec().getEgress()).anySatisfy(rule -> assertThat(rule.getPorts())
                .anySatisfy(p -> assertThat(p.getPort().getIntVal()).isEqualTo(1521)));
    }

    @Test
    void schemaRejectsBadValues() throws IOException {
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("dispatcher.slots", 0)))
                .hasMessageContaining("slots");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("database.backend", "mysql")))
                .hasMessageContaining("backend");
        assertThatThrownBy(() -> Chart.template(List.of(), Map.of("dispatcher.slotz", 2)))
                .hasMessageContaining("slotz");
        // dispatcher groups: the schema and the chart's own checks
        assertThatThrownBy(() -> groups("{name: reports, queues: [], maxReplicas: 2}"))
                .hasMessageContaining("/dispatcher/groups/0/queues").hasMessageContaining("minItems");
        assertThatThrownBy(() -> groups("{name: reports, maxReplicas: 2}"))
                .hasMessageContaining("/dispatcher/groups/0").hasMessageContaining("queues");
        assertThatThrownBy(() -> groups("{name: reports, queues: [reports], maxReplicas: 2}",
                "{name: reports, queues: [exports], maxReplicas: 2}"))
                .hasMessageContaining("the group name \"reports\" is used twice");
        assertThatThrownBy(() -> groups("{name: Reports_EU, queues: [reports], maxReplicas: 2}"))
                .hasMessageContaining("/dispatcher/groups/0/name").hasMessageContaining("does not match pattern");
        assertThatThrownBy(() -> groups("{name: reports., queues: [reports], maxReplicas: 2}"))
                .hasMessageContaining("/dispatcher/groups/0/name");
        assertThatThrownBy(() -> groups("{name: reports, queues: [reports], minReplicas: 3, maxReplicas: 2}"))
                .hasMessageContaining("dispatcher.groups[reports]: maxReplicas (2) must be at least minReplicas (3)");
        assertThatThrownBy(() -> groups("{name: reports, queues: [reports]}"))
                .hasMessageContaining("/dispatcher/groups/0").hasMessageContaining("maxReplicas");
        assertThatThrownBy(() -> groups("{name: reports, queues: [Reports EU], maxReplicas: 2}"))
                .hasMessageContaining("/dispatcher/groups/0/queues/0");
        assertThatThrownBy(() -> groups("{name: reports, queues: [reports], maxReplicas: 2, slotz: 2}"))
                .hasMessageContaining("slotz");
        assertThatThrownBy(() -> groups("{name: reports, queues: [a-b, a_b], maxReplicas: 2}"))
                .hasMessageContaining("queues \"a-b\" and \"a_b\"");
        assertThatThrownBy(() -> groups("{name: " + "r".repeat(41) + ", queues: [reports], maxReplicas: 2}"))
                .hasMessageContaining("/dispatcher/groups/0/name").hasMessageContaining("maxLength");
    }

    /** Renders the defaults with these dispatcher groups (YAML flow mappings). */
    static String groups(String... groups) throws IOException {
        return Chart.template(List.of(QueueGroupsTest.valuesFile("dispatcher:\n  groups:\n"
                + String.join("", Stream.of(groups).map(g -> "    - " + g + "\n").toList()))), Map.of());
    }
}
