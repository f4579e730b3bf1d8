package dev.jobflow.oracle.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.testcontainers.oracle.OracleContainer;

/**
 * A fresh schema (the owner) on the Oracle container, holding exactly the privileges the DBA guide
 * (docs/oracle-install.md) lists and nothing more, migrated with the scripts of sql/oracle by
 * Flyway, and a service user that is not the owner, made by sql/oracle/service_user.sql as the
 * guide does: the adapters under test log in as that service user. Both are dropped on
 * {@link #close()} (the service user by service_user_drop.sql). The Oracle twin of TestDatabase.
 */
public final class OracleTestSchema implements AutoCloseable {
    /** The owner's grants of docs/oracle-install.md, with {@code jobflow} as the schema name. */
    public static final List<String> GRANTS = List.of(
            "grant create session to jobflow",
            "grant create table, create sequence, create procedure, create trigger to jobflow",
            "grant execute on sys.dbms_aq to jobflow",
            "grant execute on sys.dbms_aqadm to jobflow",
            "grant execute on ctxsys.ctx_ddl to jobflow");

    private final OracleContainer oracle;
    private final String user;
    private final String password;
    private final String serviceUser;
    private final String servicePassword;

    private OracleTestSchema(OracleContainer oracle, String user, String password) {
        this.oracle = oracle;
        this.user = user;
        this.password = password;
        this.serviceUser = user + "_APP";
        this.servicePassword = "Sv" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    public static OracleTestSchema create(String purpose) {
        OracleContainer oracle = OracleFree.container();
        String user = ("jf_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        String password = "Pw" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        OracleTestSchema schema = new OracleTestSchema(oracle, user, password);
        schema.admin("create user " + user + " identified by \"" + password + "\" quota unlimited on users");
        for (String grant : GRANTS) {
            schema.admin(grant.replace(" jobflow", " " + user));
        }
        Flyway.configure().dataSource(schema.jdbcUrl(), user, password).locations("classpath:db/oracle").load()
                .migrate();
        for (String statement : SqlPlusScript.run("service_user.sql", user, schema.serviceUser, schema.servicePassword)) {
            schema.admin(statement);
        }
        return schema;
    }

    public String jdbcUrl() {
        return oracle.getJdbcUrl();
    }

    /** The schema owner (what jobflow.store.oracle.schema names). */
    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    /** The service user the adapters log in as: not the owner, only the grants of service_user.sql. */
    public String serviceUser() {
        return serviceUser;
    }

    public String servicePassword() {
        return servicePassword;
    }

    /** A session of the owner. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
    }

    /** A session of the service user, working in the owner's schema (as the adapters' sessions). */
    public Connection connectAsService() throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl(), serviceUser, servicePassword);
        connection.setSchema(user);
        return connection;
    }

    /** Runs one statement with {@code ?} parameters as the schema owner; returns the update count. */
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

    /** Sessions of the owner or the service user waiting for a row lock (read as the DBA). */
    public int sessionsWaitingForALock() {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "system", oracle.getPassword());
                PreparedStatement s = c.prepareStatement("select count(*) from v$session where username in (?, ?)"
                        + " and event = 'enq: TX - row lock contention'")) {
            s.setString(1, user);
            s.setString(2, serviceUser);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read v$session: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        for (String statement : SqlPlusScript.run("service_user_drop.sql", serviceUser)) {
            admin(statement);
        }
        admin("drop user " + user + " cascade");
    }

    private void admin(String sql) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(), "system", oracle.getPassword());
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' as system: " + e.getMessage(), e);
        }
    }
}
