package dev.jobflow.core.sql;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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

/**
 * {@link ReplicaDirectory} for any SQL backend: the dialect lives in the statement file
 * ({@code sql/<dialect>/queries/replicas.sql}, statement {@code list_replicas}, binding the replica
 * TTL and the forget period in ms); the rows read the same on PostgreSQL and Oracle.
 */
public final class SqlReplicaDirectory implements ReplicaDirectory {
    private final Pool pool;
    private final String listReplicas;
    private final Duration replicaTtl;
    private final Duration forgetAfter;

    /**
     * @param statements the backend's replicas.sql
     * @param replicaTtl a replica not seen for this long is reported as not alive
     * @param forgetAfter a replica not seen for this long is no longer listed at all
     */
    public SqlReplicaDirectory(Pool pool, NamedQueries statements, Duration replicaTtl, Duration forgetAfter) {
        this.pool = pool;
        this.listReplicas = statements.get("list_replicas");
        this.replicaTtl = replicaTtl;
        this.forgetAfter = forgetAfter;
    }

    @Override
    public Uni<List<ReplicaStatus>> listReplicas() {
        return pool.preparedQuery(listReplicas).execute(Tuple.of(replicaTtl.toMillis(), forgetAfter.toMillis())).map(rows -> {
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
                : new CycleRecord(id, instant(row, "cycle_started_at"), instant(row, "cycle_ended_at"),
                        row.getInteger("polls"), row.getInteger("claimed"), row.getInteger("completed"),
                        row.getInteger("failed"));
        return new ReplicaStatus(id, row.getInteger("slots"), flag(row, "draining"), instant(row, "started_at"),
                instant(row, "last_seen_at"), flag(row, "alive"), cycle);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    /** A boolean column: PostgreSQL's boolean, or Oracle's NUMBER(1) 0/1. */
    private static boolean flag(Row row, String column) {
        Object value = row.getValue(column);
        return value instanceof Boolean b ? b : ((Number) value).intValue() == 1;
    }
}
