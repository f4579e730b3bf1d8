package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.ReplicaStatus;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ReplicaDirectory;

/**
 * What every {@link ReplicaDirectory} adapter must show: the replicas the dispatchers registered
 * through the {@link JobStore}, each with its most recent cycle, alive ones first.
 */
public abstract class ReplicaDirectoryContract extends BackendContract {

    protected ReplicaDirectoryContract() {
        super("replicas");
    }

    /**
     * A directory on the same database that reports replicas not seen for {@code replicaTtl} as not
     * alive and leaves out those not seen for {@code forgetAfter}.
     */
    protected ReplicaDirectory directory(Duration replicaTtl, Duration forgetAfter) {
        return fixture().replicaDirectory(replicaTtl, forgetAfter);
    }

    private ReplicaDirectory directory(Duration replicaTtl) {
        return directory(replicaTtl, Duration.ofMinutes(10));
    }

    @Test
    void noReplicasNoRows() {
        assertThat(await(directory(Duration.ofMinutes(1)).listReplicas())).isEmpty();
    }

    @Test
    void eachReplicaWithItsMostRecentCycle() {
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60);
        await(store().heartbeatReplica("b-1", 4, false));
        await(store().heartbeatReplica("a-1", 2, true));
        await(store().recordCycle(new CycleRecord("a-1", t0, t0.plusSeconds(10), 3, 5, 4, 1)));
        await(store().recordCycle(new CycleRecord("a-1", t0.plusSeconds(10), t0.plusSeconds(30), 7, 9, 8, 0)));

        List<ReplicaStatus> replicas = await(directory(Duration.ofMinutes(1)).listReplicas());

        assertThat(replicas).extracting(ReplicaStatus::replicaId).containsExactly("a-1", "b-1");
        ReplicaStatus a = replicas.get(0);
        assertThat(a.slots()).isEqualTo(2);
        assertThat(a.draining()).isTrue();
        assertThat(a.alive()).isTrue();
        assertThat(a.startedAt()).isNotNull();
        assertThat(a.lastSeenAt()).isAfterOrEqualTo(a.startedAt());
        assertThat(a.lastCycle()).isEqualTo(new CycleRecord("a-1", t0.plusSeconds(10), t0.plusSeconds(30), 7, 9, 8, 0));
        ReplicaStatus b = replicas.get(1);
        assertThat(b.slots()).isEqualTo(4);
        assertThat(b.draining()).isFalse();
        assertThat(b.lastCycle()).isNull();
    }

    @Test
    void aReplicaNotSeenWithinTheTtlIsListedAfterTheLiveOnesAsNotAlive() throws InterruptedException {
        ReplicaDirectory directory = directory(Duration.ofSeconds(2));
        await(store().heartbeatReplica("a-gone", 1, false));
        until("a-gone not alive after its TTL", Duration.ofSeconds(15),
                () -> !await(directory.listReplicas()).get(0).alive());
        await(store().heartbeatReplica("z-live", 1, false));

        List<ReplicaStatus> replicas = await(directory.listReplicas());

        assertThat(replicas).extracting(ReplicaStatus::replicaId, ReplicaStatus::alive)
                .containsExactly(Tuple.tuple("z-live", true),
                        Tuple.tuple("a-gone", false));
    }

    @Test
    void aReplicaNotSeenForTheForgetPeriodIsNoLongerListed() throws InterruptedException {
        ReplicaDirectory directory = directory(Duration.ofMillis(100), Duration.ofMillis(400));
        await(store().heartbeatReplica("a-gone", 1, false));
        assertThat(await(directory.listReplicas())).extracting(ReplicaStatus::replicaId).contains("a-gone");
        until("a-gone forgotten", Duration.ofSeconds(15), () -> await(directory.listReplicas()).isEmpty());
        await(store().heartbeatReplica("z-live", 1, false));

        assertThat(await(directory.listReplicas())).extracting(ReplicaStatus::replicaId).containsExactly("z-live");
    }
}
