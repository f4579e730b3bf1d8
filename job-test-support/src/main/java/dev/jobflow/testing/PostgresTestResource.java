package dev.jobflow.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} its own fresh, migrated PostgreSQL database (real server, see
 * {@link TestDatabase}); use with {@code @WithTestResource(PostgresTestResource.class)}. The JDBC
 * datasource is active for the test's own queries (as a service's is only where it migrates).
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    private TestDatabase db;

    @Override
    public Map<String, String> start() {
        db = TestDatabase.create("quarkus");
        return Map.of(
                "quarkus.datasource.jdbc.url", db.jdbcUrl(),
                "quarkus.datasource.username", db.user(),
                "quarkus.datasource.password", db.password().isEmpty() ? "unused" : db.password(),
                "quarkus.flyway.migrate-at-start", "false",
                // not migrating, a service makes no JDBC datasource; the tests inject one to look at the database
                "quarkus.datasource.active", "true");
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
    }
}
