package dev.jobflow.api.process;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * The packaged job-api (with job-store-oracle on its classpath) chooses its store at start-up:
 * half-configured or unknown backends stop the process with a message naming the setting, and the
 * PostgreSQL path starts, migrates and serves as before. A replica that does not migrate opens no JDBC
 * datasource: its readiness is the store's own round trip.
 */
class StoreBackendStartIT {
    private static final Path MODULE = ServiceProcess.module("job-api");
    private static final Duration START = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void oracleWithoutAnOracleUrlStopsTheStartNamingTheSetting() throws Exception {
        try (ServiceProcess api = ServiceProcess.start("api-oracle-no-url", MODULE, "JOBFLOW_API_PORT",
                Map.of("JOBFLOW_STORE_BACKEND", "oracle", "JOBFLOW_DB_PASSWORD", "s3cret-not-logged"))) {
            int exit = api.awaitExit(START);
            String log = Files.readString(api.log());
            assertThat(exit).as("exit code; log:%n%s", log).isNotZero();
            assertThat(log).contains("jobflow.store.backend=oracle needs an Oracle JDBC URL")
                    .contains("JOBFLOW_DB_URL").contains("quarkus.datasource.jdbc.url")
                    .doesNotContain("s3cret-not-logged")
                    // the PostgreSQL datasource is inactive on oracle: no migration ran first
                    .doesNotContain("Migrating schema");
            assertThat(api.isAlive()).isFalse();
        }
    }

    @Test
    void oracleWithAnOracleUrlButNoUserStopsTheStartNamingTheSetting() throws Exception {
        try (ServiceProcess api = ServiceProcess.start("api-oracle-no-user", MODULE, "JOBFLOW_API_PORT",
                Map.of("JOBFLOW_STORE_BACKEND", "oracle", "JOBFLOW_DB_URL",
                        "jdbc:oracle:thin:@127.0.0.1:1/FREEPDB1", "QUARKUS_DATASOURCE_USERNAME", " "))) {
            int exit = api.awaitExit(START);
            String log = Files.readString(api.log());
            assertThat(exit).as("exit code; log:%n%s", log).isNotZero();
            assertThat(log).contains("quarkus.datasource.username");
        }
    }

    @Test
    void anUnknownBackendStopsTheStartNamingTheSetting() throws Exception {
        try (ServiceProcess api = ServiceProcess.start("api-mysql", MODULE, "JOBFLOW_API_PORT",
                Map.of("JOBFLOW_STORE_BACKEND", "mysql"))) {
            int exit = api.awaitExit(START);
            String log = Files.readString(api.log());
            assertThat(exit).as("exit code; log:%n%s", log).isNotZero();
            assertThat(log).contains("jobflow.store.backend").contains("mysql");
        }
    }

    @Test
    void postgresqlStartsMigratesAndServesAsBefore() throws Exception {
        try (TestDatabase db = TestDatabase.create("api-pg-start");
                ServiceProcess api = startOn(db, "api-pg", Map.of())) {
            api.awaitReady(START);
            try (var connection = db.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select count(*) from flyway_schema_history")) {
                rows.next();
                assertThat(rows.getInt(1)).as("migrations applied at start").isPositive();
            }
        }
    }

    @Test
    void aReplicaThatDoesNotMigrateOpensNoJdbcDatasourceAndIsReadyOnlyWhileTheStoreAnswers() throws Exception {
        try (TestDatabase db = TestDatabase.create("api-pg-replica");
                ServiceProcess api = startOn(db, "api-pg-replica", Map.of("JOBFLOW_MIGRATE_AT_START", "false"))) {
            api.awaitReady(START);
            assertThat(readiness(api).body()).contains("\"store (postgresql)\"");
            try (var connection = db.connect();
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("select count(*) from pg_stat_activity where datname ="
                            + " current_database() and pid <> pg_backend_pid() and application_name = 'PostgreSQL JDBC"
                            + " Driver'")) {
                rows.next();
                assertThat(rows.getInt(1)).as("JDBC sessions of job-api (its Flyway datasource is inactive)").isZero();
            }
            TestDatabase.refuseConnections(db.name());
            try {
                until("job-api not ready while the database refuses", START, () -> readiness(api).statusCode() == 503);
                assertThat(readiness(api).body()).contains("store (postgresql)").contains("not currently accepting");
            } finally {
                TestDatabase.acceptConnections(db.name());
            }
            until("job-api ready again", START, () -> readiness(api).statusCode() == 200);
        }
    }

    @Test
    void aMigrateSettingSpelledOtherwiseStopsTheStartInsteadOfSkippingTheMigrations() throws Exception {
        try (TestDatabase db = TestDatabase.create("api-pg-yes");
                ServiceProcess api = startOn(db, "api-pg-yes", Map.of("JOBFLOW_MIGRATE_AT_START", "yes"))) {
            int exit = api.awaitExit(START);
            String log = Files.readString(api.log());
            assertThat(exit).as("exit code; log:%n%s", log).isNotZero();
            assertThat(log).contains("JOBFLOW_MIGRATE_AT_START (quarkus.flyway.migrate-at-start) must be true or false");
        }
    }

    /** job-api on {@code db} (PostgreSQL) with {@code settings} as extra environment. */
    private static ServiceProcess startOn(TestDatabase db, String name, Map<String, String> settings)
            throws IOException {
        Map<String, String> env = new HashMap<>(settings);
        env.put("JOBFLOW_DB_URL", db.jdbcUrl());
        env.put("JOBFLOW_DB_USER", db.user());
        env.put("JOBFLOW_DB_PASSWORD", db.password() == null ? "" : db.password());
        return ServiceProcess.start(name, MODULE, "JOBFLOW_API_PORT", env);
    }

    private static HttpResponse<String> readiness(ServiceProcess api) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

}
