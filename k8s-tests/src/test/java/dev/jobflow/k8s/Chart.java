package dev.jobflow.k8s;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

import dev.jobflow.testing.ServiceProcess;

/**
 * The Helm chart in {@code k8s/jobflow}, linted and rendered offline with helm-java (the helm
 * library bundled as a native library: no helm binary, no cluster).
 */
public final class Chart {
    public static final String RELEASE = "jobflow";
    public static final String NAMESPACE = "jobflow";
    /** The Kubernetes version templates are rendered for (the chart needs 1.27 or newer). */
    public static final String KUBE_VERSION = "1.31.0";

    private Chart() {
    }

    /** {@code k8s/} at the top of the repository. */
    public static Path k8sDir() {
        Path dir = ServiceProcess.module("k8s");
        if (!Files.isDirectory(dir.resolve("jobflow"))) {
            throw new IllegalStateException("chart not found under " + dir);
        }
        return dir;
    }

    public static Path chartDir() {
        return k8sDir().resolve("jobflow");
    }

    /** An example values file in {@code k8s/examples}; "defaults" means none. */
    public static List<Path> valueFiles(String valueSet) {
        return "defaults".equals(valueSet) ? List.of() : List.of(k8sDir().resolve("examples").resolve(valueSet + ".yaml"));
    }

    public static LintResult lint() {
        return new Helm(chartDir()).lint().strict().call();
    }

    /** {@code helm template} with the given values files and {@code --set} pairs. */
    public static String template(List<Path> valuesFiles, Map<String, ?> set) {
        TemplateCommand command = new Helm(chartDir()).template().withName(RELEASE).withNamespace(NAMESPACE)
                .withKubeVersion(KUBE_VERSION);
        valuesFiles.forEach(command::withValuesFile);
        set.forEach(command::set);
        return command.call();
    }

    public static Rendered render(String valueSet) {
        return render(valueSet, Map.of());
    }

    public static Rendered render(String valueSet, Map<String, ?> set) {
        return Rendered.parse(template(valueFiles(valueSet), set));
    }

    /**
     * helm-java's template prints the release manifest without hooks: render the migration Job as
     * a plain object to see it (the hook variant is checked by its absence from the manifest).
     */
    public static Rendered renderWithMigrationJob(String valueSet) {
        return render(valueSet, Map.of("migration.hook", false));
    }

    public static Rendered render(Map<String, ?> set) {
        return Rendered.parse(template(List.of(), set));
    }
}
