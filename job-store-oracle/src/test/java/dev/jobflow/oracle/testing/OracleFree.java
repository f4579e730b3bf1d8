package dev.jobflow.oracle.testing;

import java.time.Duration;

import org.testcontainers.oracle.OracleContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * One Oracle container for all Oracle tests of a JVM, started on first use (only by tests that
 * run: they carry {@code @Testcontainers(disabledWithoutDocker = true)}, so without Docker nothing
 * here is touched). The image is a setting: Oracle Database 23ai Free by default; any other image
 * (a 19c one, what most users run) with the system property {@code jobflow.test.oracle.image} (or
 * the environment variable {@code JOBFLOW_TEST_ORACLE_IMAGE}), e.g.
 * {@code ./mvnw verify -pl job-store-oracle -am -Djobflow.test.oracle.image=my-registry/oracle-19c}. The image must
 * follow the conventions of the gvenzl images (ORACLE_PASSWORD, APP_USER, the port 1521 and the
 * pluggable database {@code jobflow.test.oracle.database}, default FREEPDB1). See
 * docs/oracle-install.md, "19c and 23ai". Not a "slim" image: those leave out Oracle Text, which the
 * job search needs (V017).
 */
public final class OracleFree {
    /** The default: Oracle Database 23ai Free. */
    public static final String DEFAULT_IMAGE = "gvenzl/oracle-free:23-faststart";
    public static final String IMAGE = setting("jobflow.test.oracle.image", "JOBFLOW_TEST_ORACLE_IMAGE", DEFAULT_IMAGE);
    public static final String DATABASE = setting("jobflow.test.oracle.database", "JOBFLOW_TEST_ORACLE_DATABASE",
            "freepdb1");
    private static OracleContainer container;

    private OracleFree() {
    }

    public static synchronized OracleContainer container() {
        if (container == null) {
            OracleContainer started = new OracleContainer(
                    DockerImageName.parse(IMAGE).asCompatibleSubstituteFor("gvenzl/oracle-free"))
                    .withStartupTimeout(Duration.ofMinutes(10));
            if (!"freepdb1".equalsIgnoreCase(DATABASE)) {
                started = started.withDatabaseName(DATABASE);
            }
            started.start();
            container = started;
        }
        return container;
    }

    /** A system property, else an environment variable, else the fallback. */
    static String setting(String property, String variable, String fallback) {
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            value = System.getenv(variable);
        }
        return value == null || value.isBlank() ? fallback : value.strip();
    }
}
