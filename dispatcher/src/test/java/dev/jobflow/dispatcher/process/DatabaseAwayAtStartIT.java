package dev.jobflow.dispatcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobflow.testing.Await;
import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * A dispatcher started while its database refuses connections (a restart or a failover as the pod
 * starts) stays up and not ready, and starts once the database is back: Kubernetes sees a pod that is
 * not ready yet, not one that exits into its crash-loop back-off. What it meets then other than an
 * absent database still ends the start.
 */
class DatabaseAwayAtStartIT {

    @Test
    void aReplicaStartedWhileItsDatabaseIsAwayStartsOnceItIsBack() throws Exception {
        try (TestDatabase db = TestDatabase.create("away_at_start"); Fleet fleet = new Fleet(db, Map.of())) {
            fleet.insertJobs(3, "demo", "{\"duration\": 0.1, \"step\": 0.1}", 1);
            ServiceProcess replica = launchWhileAway(db, fleet, "away");
            replica.awaitReady(Duration.ofSeconds(60));
            assertThat(fleet.awaitAllTerminal(Duration.ofSeconds(60))).as("every job terminal").isTrue();
            assertThat(fleet.queryLong("select count(*) from jobs where status = 'COMPLETED'")).isEqualTo(3);
            assertThat(fleet.queryLong("select count(*) from dispatcher_replicas where replica_id = 'away'")).isOne();
        }
    }

    @Test
    void aFailureOtherThanTheDatabaseBeingAwayStillEndsTheStartOnceItAnswers() throws Exception {
        try (TestDatabase db = TestDatabase.create("away_then_broken"); Fleet fleet = new Fleet(db, Map.of())) {
            // what it finds once the database answers is not what it needs: no replica table
            db.update("alter table dispatcher_replicas rename to dispatcher_replicas_gone");
            ServiceProcess replica = launchWhileAway(db, fleet, "broken");
            assertThat(replica.awaitExit(Duration.ofSeconds(60))).as("exit code; log: %s", replica.log()).isEqualTo(1);
            assertThat(replica.logContains("start failed once the database answered")).isTrue();
        }
    }

    /**
     * Launches a replica while {@code db} refuses connections and checks that it stays alive and not
     * ready, saying why; the database accepts connections again when this returns.
     */
    private static ServiceProcess launchWhileAway(TestDatabase db, Fleet fleet, String replicaId) throws Exception {
        TestDatabase.refuseConnections(db.name());
        try {
            ServiceProcess replica = fleet.launch(replicaId);
            Await.until("the replica says its database is unavailable", Duration.ofSeconds(90),
                    () -> !replica.isAlive() || replica.logContains("database unavailable at start"));
            assertThat(replica.isAlive()).as("alive while its database is away: %s", replica.log()).isTrue();
            assertThat(replica.isReady()).as("ready before it could register").isFalse();
            return replica;
        } finally {
            TestDatabase.acceptConnections(db.name());
        }
    }
}
