package dev.jobflow.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import dev.jobflow.testing.ServiceProcess;

/**
 * The chart's migration Job, run for real: the job-api jar started with the literal environment
 * of the rendered Job (migrate-at-start, init-and-exit) against an empty PostgreSQL database must
 * apply every migration and exit 0 by itself, as the pod must for the Helm hook to succeed.
 */
class MigrationHookIT {
    private static final String ADMIN_URL = env("JOBFLOW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = env("JOBFLOW_TEST_PG_USER", "postgres");
    private static final String PASSWORD = env("JOBFLOW_TEST_PG_PASSWORD", "");

    @Test
    void migrationJobMigratesAnEmptyDatabaseAndExits() throws Exception {
        Path apiJar = ServiceProcess.jar(ServiceProcess.module("job-api"));
        Assumptions.assumeTrue(Files.exists(apiJar), "job-api not built (" + apiJar + " missing)");
        Container migrate = Chart.renderWithMigrationJob("defaults").one(Job.class, "jobflow-migrate").getSpec()
                .getTemplate().getSpec().getContainers().get(0);
        String database = "jf_k8s_migrate_" + UUID.randomUUID().toString().substring(0, 8);
        admin("create database " + database);
        try {
            Map<String, String> env = new LinkedHashMap<>(Env.plain(migrate));
            env.remove("JAVA_TOOL_OPTIONS");
            env.put("JOBFLOW_DB_URL", ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + database);
            env.put("JOBFLOW_DB_USER", USER);
            env.put("JOBFLOW_DB_PASSWORD", PASSWORD);
            ServiceProcess process = ServiceProcess.start("migrate", ServiceProcess.module("job-api"), "JOBFLOW_API_PORT",
                    env);
            try (process) {
                Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
                while (process.isAlive() && Instant.now().isBefore(deadline)) {
                    Thread.sleep(200);
                }
                assertThat(process.isAlive()).as("the migration pod exits by itself; log %s", process.log()).isFalse();
                assertThat(process.terminate(Duration.ZERO)).as("exit code; log %s", process.log()).isZero();
            }
            assertThat(appliedVersions(database)).as("Flyway history: every migration of sql/postgres")
                    .containsExactlyInAnyOrderElementsOf(migrationVersions());
        } finally {
            admin("drop database if exists " + database + " with (force)");
        }
    }

    /** Versions of the migration files, as Flyway records them: V004_1__x.sql is "004.1". */
    private static List<String> migrationVersions() throws IOException {
        try (Stream<Path> files = Files.list(ServiceProcess.module("sql").resolve("postgres"))) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V[0-9_]+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__")).replace('_', '.')).toList();
        }
    }

    private static List<String> appliedVersions(String database) throws SQLException {
        List<String> versions = new ArrayList<>();
        String url = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + database;
        try (Connection c = DriverManager.getConnection(url, USER, PASSWORD);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select version from flyway_schema_history where success order by 1")) {
            while (rs.next()) {
                versions.add(rs.getString(1));
            }
        }
        return versions;
    }

    private static void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
