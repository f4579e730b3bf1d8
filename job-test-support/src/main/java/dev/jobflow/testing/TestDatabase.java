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

    /** This JVM's migrated template database, see {@link #template()}. */
    private static String template;

    private final String name;
    private final String jdbcUrl;

    private TestDatabase(String name) {
        this.name = name;
        this.jdbcUrl = ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1) + name;
    }

    /**
     * Creates the database with every migration of {@code sql/postgres} applied: a copy of this JVM's
     * template database, which the first call creates and migrates (a copy costs a fraction of a
     * migration; the template is dropped when the JVM ends).
     */
    public static TestDatabase create(String purpose) {
        String name = uniqueName(purpose);
        admin("create database " + name + " template " + template());
        TestDatabase db = new TestDatabase(name);
        try {
            // the one value a migration draws at random (V003): a stream epoch of its own, as after a migration
            db.update("update progress_stream set epoch = md5(random()::text || clock_timestamp()::text)");
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** The migrated template of this JVM (created by the first caller); nobody else connects to it. */
    private static synchronized String template() {
        if (template == null) {
            String name = uniqueName("template");
            admin("create database " + name);
            TestDatabase db = new TestDatabase(name);
            try {
                Flyway.configure().dataSource(db.jdbcUrl, USER, PASSWORD).locations("classpath:db/postgres").load()
                        .migrate();
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(db::close, "drop " + name));
            template = name;
        }
        return template;
    }

    private static String uniqueName(String purpose) {
        return ("jf_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8)).toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9_]", "_");
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
