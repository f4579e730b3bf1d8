package dev.jobflow.api.testing;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import javax.sql.DataSource;

import io.restassured.specification.RequestSpecification;

import dev.jobflow.core.auth.ApiKeyHeaders;

/**
 * A job-api key made the way an operator makes one (README): a random secret of which only the
 * SHA-256 is stored in {@code job_api_keys}. Names are unique, as test classes may share a database.
 */
public record ApiKey(String name, String secret) {

    /** A key with the role {@code admin} (it may do everything). */
    public static ApiKey create(DataSource db, String purpose) {
        return create(db, purpose, "admin");
    }

    /** A key with this role: {@code viewer}, {@code operator} or {@code admin}. */
    public static ApiKey create(DataSource db, String purpose, String role) {
        ApiKey key = new ApiKey(purpose + "-" + UUID.randomUUID().toString().substring(0, 8),
                "jfk_" + UUID.randomUUID().toString().replace("-", ""));
        update(db, "insert into job_api_keys (name, key_sha256, role) values (?, ?, ?)", key.name,
                ApiKeyHeaders.sha256(key.secret), role);
        return key;
    }

    public void revoke(DataSource db) {
        update(db, "update job_api_keys set revoked_at = now() where name = ?", name);
    }

    /** A request that presents this key as {@code Authorization: Bearer}. */
    public RequestSpecification given() {
        return io.restassured.RestAssured.given().header("Authorization", "Bearer " + secret);
    }

    /** Runs one statement with string parameters (test setup). */
    public static void update(DataSource db, String sql, String... args) {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setString(i + 1, args[i]);
            }
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
