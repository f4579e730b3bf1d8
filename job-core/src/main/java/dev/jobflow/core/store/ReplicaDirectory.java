package dev.jobflow.core.store;

import java.util.List;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.ReplicaStatus;

/**
 * Read-only view of the dispatcher replicas and their last cycle, for operators and the
 * job-monitor page. The replicas write these rows through {@link JobStore#heartbeatReplica} and
 * {@link JobStore#recordCycle}; one adapter per backend.
 */
public interface ReplicaDirectory {

    /** Every registered replica, alive ones first, then by id, each with its most recent cycle. */
    Uni<List<ReplicaStatus>> listReplicas();
}
