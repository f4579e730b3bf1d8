package dev.jobflow.hub.testing;

import java.net.URL;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.test.common.http.TestHTTPResource;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.store.ProgressLog;

/** What the hub's @QuarkusTests share: the base URL, the database, publishing, unique room names. */
public abstract class HubTestBase {
    protected static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    protected URL base;

    @Inject
    protected ProgressLog log;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    protected String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    protected String dbUser;

    @ConfigProperty(name = "quarkus.datasource.password")
    protected String dbPassword;

    protected String baseUrl() {
        String url = base.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    protected static String room(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    protected long publish(String room, int n) {
        return log.publish(List.of(room), new JsonObject().put("n", n)).await().atMost(WAIT).get(0);
    }

    /** A job of {@code owner}, written as job-api writes one; its room is {@code job:{id}}. */
    protected long jobOf(String owner) throws Exception {
        return queryLong("insert into jobs (name, owner, type) values ('owned', ?, 'demo') returning id", owner);
    }

    protected Connection connect() throws Exception {
        return DriverManager.getConnection(jdbcUrl, dbUser, "unused".equals(dbPassword) ? "" : dbPassword);
    }

    protected void sql(String statement, Object... params) throws Exception {
        try (Connection c = connect(); PreparedStatement s = prepare(c, statement, params)) {
            s.execute();
        }
    }

    /** The single number a statement answers (a count, an id it returns). */
    protected long queryLong(String statement, Object... params) throws Exception {
        try (Connection c = connect();
                PreparedStatement s = prepare(c, statement, params);
                ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static PreparedStatement prepare(Connection c, String statement, Object... params) throws Exception {
        PreparedStatement s = c.prepareStatement(statement);
        for (int i = 0; i < params.length; i++) {
            s.setObject(i + 1, params[i]);
        }
        return s;
    }

    /** Publishes inside an open transaction; the caller commits or rolls back. */
    protected static List<Long> publishIn(Connection tx, String room, int n) throws Exception {
        Array rooms = tx.createArrayOf("text", new Object[] { room });
        try (PreparedStatement s = tx.prepareStatement("select progress_publish(?, ?::jsonb)")) {
            s.setArray(1, rooms);
            s.setString(2, new JsonObject().put("n", n).encode());
            List<Long> offsets = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    offsets.add(rs.getLong(1));
                }
            }
            return offsets;
        }
    }

    protected static List<Integer> numbers(List<JsonObject> messages) {
        return messages.stream().map(m -> m.getJsonObject("data").getInteger("n")).toList();
    }

    protected static List<Long> offsets(List<JsonObject> messages) {
        return messages.stream().map(m -> m.getLong("offset")).toList();
    }
}
