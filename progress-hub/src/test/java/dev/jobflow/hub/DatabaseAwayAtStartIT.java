package dev.jobflow.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobflow.hub.testing.Tokens;
import dev.jobflow.hub.testing.WsClient;
import dev.jobflow.testing.Await;
import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * A hub without a configured token secret reads the one shared through the database with job-api.
 * Started while that database is away (a restart or a failover as the pod starts), it stays up and
 * not ready, and becomes ready and takes job-api's tokens once the database is back: Kubernetes sees a
 * pod that is not ready yet, not one that exits into its crash-loop back-off. What it meets then other
 * than an absent database still ends the process.
 */
class DatabaseAwayAtStartIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void aHubStartedWhileItsDatabaseIsAwayReadsTheSharedSecretOnceItIsBack() throws Exception {
        try (TestDatabase db = TestDatabase.create("hub_away_at_start");
                ServiceProcess hub = launchWhileAway(db, "hub-away")) {
            hub.awaitReady(WAIT);
            String token = Tokens.token("it", List.of("room:away"), List.of(), Duration.ofMinutes(5), sharedSecret(db));
            try (WsClient client = WsClient.connect(hub.baseUrl(), token)) {
                client.subscribe("room:away").awaitType("subscribed", "room:away");
            }
        }
    }

    @Test
    void aFailureOtherThanTheDatabaseBeingAwayEndsTheProcessOnceItAnswers() throws Exception {
        try (TestDatabase db = TestDatabase.create("hub_away_then_broken")) {
            // what it finds once the database answers is not what it needs: no table for the secret
            db.update("alter table progress_signing_key rename to progress_signing_key_gone");
            try (ServiceProcess hub = launchWhileAway(db, "hub-broken")) {
                assertThat(hub.awaitExit(WAIT)).as("exit code; log: %s", hub.log()).isEqualTo(1);
                assertThat(hub.logContains("cannot read the token signing secret")).isTrue();
            }
        }
    }

    /**
     * Starts a hub without a token secret while {@code db} refuses connections and checks that it stays
     * alive and not ready, saying why; the database accepts connections again when this returns.
     */
    private static ServiceProcess launchWhileAway(TestDatabase db, String name) throws Exception {
        Map<String, String> env = Map.of(
                "JOBFLOW_DB_URL", db.jdbcUrl(),
                "JOBFLOW_DB_USER", db.user(),
                "JOBFLOW_DB_PASSWORD", db.password(),
                "JOBFLOW_MIGRATE_AT_START", "false",
                "JOBFLOW_TOKEN_SECRET", ""); // empty is unset: the secret shared through the database
        TestDatabase.refuseConnections(db.name());
        try {
            ServiceProcess hub = ServiceProcess.start(name, ServiceProcess.module("progress-hub"), "JOBFLOW_HUB_PORT", env);
            Await.until("the hub says its database is unavailable", WAIT,
                    () -> !hub.isAlive() || hub.logContains("database unavailable at start"));
            assertThat(hub.isAlive()).as("alive while its database is away: %s", hub.log()).isTrue();
            assertThat(hub.isReady()).as("ready before it knows the token key").isFalse();
            return hub;
        } finally {
            TestDatabase.acceptConnections(db.name());
        }
    }

    private static String sharedSecret(TestDatabase db) throws Exception {
        try (Connection c = db.connect();
                Statement s = c.createStatement();
                ResultSet rows = s.executeQuery("select secret from progress_signing_key where id = 1")) {
            assertThat(rows.next()).as("the hub stored the shared secret").isTrue();
            return rows.getString(1);
        }
    }
}
