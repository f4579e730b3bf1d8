package dev.jobflow.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

import org.flywaydb.core.Flyway;

import dev.jobflow.core.auth.ApiKeyHeaders;

/**
 * A fresh, migrated PostgreSQL database for one test class (or one end-to-end run), dropped on
 * {@link #close()}. The server comes from {@code JOBFLOW_TEST_PG_URL} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/postgres}, user {@code JOBFLOW_TEST_PG_USER} or
 * {@code postgres}, password {@code JOBFLOW_TEST_PG_PASSWORD} or none): a real server, never a mock.
 */
public final class TestDatabase implements AutoCloseable {
    private static final String ADMIN_URL = env("JOBFLOW_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String USER = env("JOBFLOW_TEST_PG_USER", "postgres");
    private static final String PASSWORD = env("JOBFLOW_TEST_PG_PASSWORD", "");

    private final String name;
    private final String jdbcUrl;

    private TestDatabase(String name) {
        this.name = name;
        this.jdbcUrl = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
    }

    /** Creates the database and applies every migration of {@code sql/postgres}. */
    public static TestDatabase create(String purpose) {
        String name = ("jf_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        TestDatabase db = new TestDatabase(name);
        db.admin("create database " + name);
        Flyway.configure().dataSource(db.jdbcUrl, USER, PASSWORD).locations("classpath:db/postgres").load().migrate();
        return db;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String user() {
        return USER;
    }

    public String password() {
        return PASSWORD;
    }

    /** Runs plain SQL against this database (for test setup and inspection). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, USER, PASSWORD);
    }

    /** Runs one statement with {@code ?} parameters against this database; returns the update count. */
    public int update(String sql, Object... args) {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "': " + e.getMessage(), e);
        }
    }

    /**
     * A new job-api key named {@code name}, made as an operator makes one: a random secret of which
     * only the SHA-256 is stored. Send it as {@code Authorization: Bearer <key>}; it may write for anyone
     * and has the role {@code admin}.
     */
    public String createJobApiKey(String name) {
        return createJobApiKey(name, "admin");
    }

    /** A new job-api key with this role ({@code viewer}, {@code operator} or {@code admin}). */
    public String createJobApiKey(String name, String role) {
        String key = "jfk_" + UUID.randomUUID().toString().replace("-", "");
        update("insert into job_api_keys (name, key_sha256, role) values (?, ?, ?)", name, ApiKeyHeaders.sha256(key),
                role);
        return key;
    }

    /** This database's name, e.g. to take it away with {@link #refuseConnections(String)}. */
    public String name() {
        return name;
    }

    /**
     * Takes {@code database} away as a server restart would, without touching any other database of
     * the shared server: new connections are refused and every open one is ended. Tests use it for
     * outages; {@link #acceptConnections(String)} ends the outage.
     */
    public static void refuseConnections(String database) {
        admin("alter database " + database + " allow_connections false");
        admin("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database
                + "' and pid <> pg_backend_pid()");
    }

    /** Ends an outage begun with {@link #refuseConnections(String)}. */
    public static void acceptConnections(String database) {
        admin("alter database " + database + " allow_connections true");
    }

    @Override
    public void close() {
        admin("drop database if exists " + name + " with (force)");
    }

    private static void admin(String sql) {
        try (Connection c = DriverManager.getConnection(ADMIN_URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + ADMIN_URL
                    + " (is PostgreSQL running? .ci/run starts it): " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
