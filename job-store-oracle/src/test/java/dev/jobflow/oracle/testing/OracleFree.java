package dev.jobflow.oracle.testing;

import java.time.Duration;

import org.testcontainers.oracle.OracleContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One Oracle Free container for all Oracle tests of a JVM, started on first use (only by tests
 * that run: they carry {@code @Testcontainers(disabledWithoutDocker = true)}, so without Docker
 * nothing here is touched). The image can be overridden with {@code JOBFLOW_TEST_ORACLE_IMAGE}. Not a
 * "slim" image: those leave out Oracle Text, which the job search needs (V017).
 */
public final class OracleFree {
    public static final String IMAGE = env("JOBFLOW_TEST_ORACLE_IMAGE", "gvenzl/oracle-free:23-faststart");
    private static OracleContainer container;

    private OracleFree() {
    }

    public static synchronized OracleContainer container() {
        if (container == null) {
            OracleContainer started = new OracleContainer(
                    DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("gvenzl/oracle-free"))
                    .withStartupTimeout(Duration.ofMinutes(5));
            started.start();
            container = started;
        }
        return container;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
