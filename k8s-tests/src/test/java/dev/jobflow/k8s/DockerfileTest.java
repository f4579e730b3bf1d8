package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import dev.jobflow.testing.ServiceProcess;

/**
 * The images cannot be built here (no Docker): their Dockerfiles are checked against what the
 * chart expects of them instead: the user the pods run as, the port, the JRE, the service's one jar.
 */
class DockerfileTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({ "job-api,8080", "dispatcher,8081", "progress-hub,8082" })
    void dockerfileMatchesTheChart(String module, int port) throws IOException {
        Path dockerfile = ServiceProcess.module(module).resolve("src/main/docker/Dockerfile.jvm");
        String text = Files.readString(dockerfile);
        Deployment deployment = Chart.render(Map.of()).one(Deployment.class, "jobflow-" + module);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(text).containsPattern("(?m)^FROM eclipse-temurin:(21|25)-jre");
        assertThat(text).contains("USER " + container.getSecurityContext().getRunAsUser());
        assertThat(text).contains("EXPOSE " + port);
        assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(port);
        // the jar the build makes (ServiceProcess.jar: target/<module>-runner.jar), one layer
        assertThat(text).contains("COPY --chown=185:185 target/" + ServiceProcess.jar(ServiceProcess.module(module))
                .getFileName() + " /deployments/app.jar");
        // exec form: java is PID 1 and gets SIGTERM itself (the drain depends on it)
        assertThat(text).containsPattern("(?m)^ENTRYPOINT \\[\"java\"");
        // the AOT cache the entry point uses is made in the image, by its own JVM, from the same jar path;
        // no --add-opens on the command line (it must match the JDK's archive): the jar's manifest opens
        assertThat(text).contains(
                "ENTRYPOINT [\"java\", \"-XX:AOTCache=/deployments/app.aot\", \"--sun-misc-unsafe-memory-access=allow\", "
                        + "\"-jar\", \"/deployments/app.jar\"]");
        // trained by a start without a database (none at build time), stopped with SIGTERM once started; any
        // other end fails the build
        assertThat(text).containsPattern("(?m)^RUN JOBFLOW_MIGRATE_AT_START=false JOBFLOW_DB_URL=\\S+ \\\\\n")
                .containsPattern("(?m)^ +java [^\\n]*-XX:AOTCacheOutput=/deployments/app.aot")
                .contains("kill -TERM $pid", "[ $rc -ne 143 ]", "grep -q ' started in ' /tmp/aot-training.log")
                .doesNotContain("QUARKUS_INIT_AND_EXIT");
        assertThat(text).contains("-jar /deployments/app.jar").doesNotContain("--add-opens");
        assertThat(Files.readString(ServiceProcess.module(module).resolveSibling("pom.xml")))
                .contains("<quarkus.package.jar.manifest.attributes.Add-Opens>java.base/java.lang<")
                .contains("<quarkus.package.jar.type>uber-jar<");
        assertThat(container.getImage()).endsWith("/" + module + ":0.1.0");
    }
}
