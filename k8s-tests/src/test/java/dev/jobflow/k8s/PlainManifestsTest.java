package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

/**
 * k8s/manifests must be exactly what the chart renders. Run with
 * {@code -Djobflow.manifests.update=true} to rewrite them after a chart change.
 */
class PlainManifestsTest {

    @Test
    void plainManifestsMatchTheChart() throws IOException {
        Path dir = Chart.k8sDir().resolve("manifests");
        Map<String, String> expected = PlainManifests.generate();
        if (Boolean.getBoolean("jobflow.manifests.update")) {
            for (var file : expected.entrySet()) {
                Files.writeString(dir.resolve(file.getKey()), file.getValue());
            }
        }
        for (var file : expected.entrySet()) {
            Path path = dir.resolve(file.getKey());
            assertThat(path).as("%s is missing: regenerate with -Djobflow.manifests.update=true", path).exists();
            assertThat(Files.readString(path)).as("%s is out of date: regenerate with -Djobflow.manifests.update=true",
                    path).isEqualTo(file.getValue());
        }
    }

    @Test
    void plainManifestsCarryNoSecretsAndAPlainMigrationJob() {
        Map<String, String> files = PlainManifests.generate();
        Rendered migration = Rendered.parse(files.get(PlainManifests.MIGRATION));
        Job job = migration.one(Job.class, "jobflow-migrate");
        assertThat(job.getMetadata().getAnnotations()).isNullOrEmpty();
        // everything the Job needs besides the user's Secret is applied with it
        assertThat(migration.one(ServiceAccount.class, job.getSpec().getTemplate().getSpec().getServiceAccountName()))
                .isNotNull();
        assertThat(migration.objects()).hasSize(2);
        Rendered services = Rendered.parse(files.get(PlainManifests.SERVICES));
        assertThat(services.all(Secret.class)).isEmpty();
        assertThat(services.all(Deployment.class)).hasSize(3);
        assertThat(Rendered.parse(files.get(PlainManifests.SCALED_OBJECT)).custom("ScaledObject")).hasSize(1);
    }
}
