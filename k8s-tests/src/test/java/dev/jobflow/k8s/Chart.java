package dev.jobflow.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import dev.jobflow.core.testing.ServiceProcess;

/**
 * The Helm chart in {@code k8s/jobflow}, linted and rendered offline with helm-java (the helm
 * library bundled as a native library: no helm binary, no cluster).
 */
final class Chart {
    static final String RELEASE = "jobflow";
    static final String NAMESPACE = "jobflow";
    /** The Kubernetes version templates are rendered for (the chart needs 1.27 or newer). */
    static final String KUBE_VERSION = "1.31.0";

    private Chart() {
    }

    /** {@code k8s/} at the top of the repository. */
    static Path k8sDir() {
        Path dir = ServiceProcess.module("k8s");
        if (!Files.isDirectory(dir.resolve("jobflow"))) {
            throw new IllegalStateException("chart not found under " + dir);
        }
        return dir;
    }

    static Path chartDir() {
        return k8sDir().resolve("jobflow");
    }

    /** An example values file in {@code k8s/examples}; "defaults" means none. */
    static List<Path> valueFiles(String valueSet) {
        return "defaults".equals(valueSet) ? List.of() : List.of(k8sDir().resolve("examples").resolve(valueSet + ".yaml"));
    }

    static LintResult lint() {
        return new Helm(chartDir()).lint().strict().call();
    }

    /** {@code helm template} with the given values files and {@code --set} pairs. */
    static String template(List<Path> valuesFiles, Map<String, ?> set) {
        TemplateCommand command = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(command::withValuesFile);
        set.forEach(command::set);
        return command.call();
    }

    static Rendered render(String valueSet) {
        return render(valueSet, Map.of());
    }

    static Rendered render(String valueSet, Map<String, ?> set) {
        return Rendered.parse(template(valueFiles(valueSet), set));
    }

    /**
     * helm-java's template prints the release manifest without hooks: render the migration Job as
     * a plain object to see it (the hook variant is checked by its absence from the manifest).
     */
    static Rendered renderWithMigrationJob(String valueSet) {
        return render(valueSet, Map.of("migration.hook", false));
    }

    static Rendered render(Map<String, ?> set) {
        return Rendered.parse(template(List.of(), set));
    }
}
