package dev.jobflow.oracle.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.flywaydb.core.Flyway;
import org.testcontainers.oracle.OracleContainer;

/**
 * A fresh schema (user) on the Oracle Free container, holding exactly the privileges the DBA
 * guide (docs/oracle-install.md) lists and nothing more, migrated with the scripts of sql/oracle
 * by Flyway; dropped on {@link #close()}. The Oracle twin of job-core's TestDatabase.
 */
public final class OracleTestSchema implements AutoCloseable {
    /** The grants of docs/oracle-install.md, with {@code jobflow} as the schema name. */
    public static final List<String> GRANTS = List.of(
            "grant create session to jobflow",
            "grant create table, create sequence, create procedure, create trigger to jobflow",
            "grant execute on sys.dbms_aq to jobflow",
            "grant execute on sys.dbms_aqadm to jobflow",
            "grant execute on ctxsys.ctx_ddl to jobflow",
            // the progress hub's gap check on Oracle (writers_alive; optional in the guide)
            "grant select on sys.v_$locked_object to jobflow",
            "grant select on sys.v_$transaction to jobflow");

    private final OracleContainer oracle;
    private final String user;
    private final String password;

    private OracleTestSchema(OracleContainer oracle, String user, String password) {
        this.oracle = oracle;
        this.user = user;
        this.password = password;
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
        return schema;
    }

    public String jdbcUrl() {
        return oracle.getJdbcUrl();
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user, password);
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

    @Override
    public void close() {
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
