package dev.jobflow.dispatcher.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobflow.testing.Await;
import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * A dispatcher started while its database refuses connections (a restart or a failover as the pod
 * starts) stays up and not ready, and starts once the database is back: Kubernetes
 * sees a pod that is not ready yet, not one that exits into its crash-loop back-off.
 */
class DatabaseAwayAtStartIT {

    @Test
    void aReplicaStartedWhileItsDatabaseIsAwayStartsOnceItIsBack() throws Exception {
        try (TestDatabase db = TestDatabase.create("away_at_start"); Fleet fleet = new Fleet(db, Map.of())) {
            fleet.insertJobs(3, "demo", "{\"duration\": 0.1, \"step\": 0.1}", 1);
            ServiceProcess replica;
            TestDatabase.refuseConnections(db.name());
            try {
                replica = fleet.launch("away");
                Await.until("the replica says its database is unavailable", Duration.ofSeconds(90),
                        () -> !replica.isAlive() || logSays(replica, "database unavailable at start"));
                assertThat(replica.isAlive()).as("alive while its database is away: %s", replica.log()).isTrue();
                assertThat(Fleet.isReady(replica)).as("ready before it could register").isFalse();
            } finally {
                TestDatabase.acceptConnections(db.name());
            }
            replica.awaitReady(Duration.ofSeconds(60));
            assertThat(fleet.awaitAllTerminal(Duration.ofSeconds(60))).as("every job terminal").isTrue();
            assertThat(fleet.queryLong("select count(*) from jobs where status = 'COMPLETED'")).isEqualTo(3);
            assertThat(fleet.queryLong("select count(*) from dispatcher_replicas where replica_id = 'away'")).isOne();
        }
    }

    private static boolean logSays(ServiceProcess process, String text) {
        try {
            return Files.readString(process.log()).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
