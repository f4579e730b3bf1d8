package dev.jobflow.oracle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.CycleRecord;
import dev.jobflow.core.model.ReplicaStatus;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ReplicaDirectory;

/** Oracle adapter of the replica directory; statements in {@code sql/oracle/queries/replicas.sql}. */
public final class OracleReplicaDirectory implements ReplicaDirectory {
    private static final NamedQueries SQL = NamedQueries.load("db/queries/oracle/replicas.sql");

    private final Pool pool;
    private final Duration replicaTtl;

    /** @param replicaTtl a replica not seen for this long is reported as not alive */
    public OracleReplicaDirectory(Pool pool, Duration replicaTtl) {
        this.pool = pool;
        this.replicaTtl = replicaTtl;
    }

    @Override
    public Uni<List<ReplicaStatus>> listReplicas() {
        return pool.preparedQuery(SQL.get("list_replicas")).execute(Tuple.of(replicaTtl.toMillis())).map(rows -> {
            List<ReplicaStatus> replicas = new ArrayList<>();
            for (Row row : rows) {
                replicas.add(replica(row));
            }
            return replicas;
        });
    }

    private static ReplicaStatus replica(Row row) {
        String id = row.getString("replica_id");
        CycleRecord cycle = row.getValue("cycle_started_at") == null ? null
                : new CycleRecord(id, OracleRows.instant(row, "cycle_started_at"),
                        OracleRows.instant(row, "cycle_ended_at"), row.getInteger("polls"), row.getInteger("claimed"),
                        row.getInteger("completed"), row.getInteger("failed"));
        return new ReplicaStatus(id, row.getInteger("slots"), row.getInteger("draining") == 1,
                OracleRows.instant(row, "started_at"), OracleRows.instant(row, "last_seen_at"),
                row.getInteger("alive") == 1, cycle);
    }
}
