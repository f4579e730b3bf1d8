package dev.jobflow.testing;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} its own fresh, migrated PostgreSQL database (real server, see
 * {@link TestDatabase}); use with {@code @WithTestResource(PostgresTestResource.class)}.
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
                "quarkus.flyway.migrate-at-start", "false");
    }

    @Override
    public void stop() {
        if (db != null) {
            db.close();
        }
    }
}
