package dev.jobflow.oracle;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProgressLog;

/** Oracle adapter of the progress log; statements in {@code sql/oracle/queries/progress.sql}. */
public class OracleProgressLog implements ProgressLog {
    private static final NamedQueries SQL = NamedQueries.load("db/queries/oracle/progress.sql");

    private final Pool pool;

    public OracleProgressLog(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<List<Long>> publish(List<String> rooms, JsonObject payload) {
        if (rooms.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String text = payload.encode();
        return pool.withTransaction(conn -> conn.preparedQuery(SQL.get("next_offsets"))
                .execute(Tuple.of(rooms.size()))
                .flatMap(ids -> {
                    List<Long> offsets = new ArrayList<>(rooms.size());
                    ids.forEach(row -> offsets.add(row.getLong("id")));
                    offsets.sort(null); // room order gets increasing offsets
                    List<Tuple> batch = new ArrayList<>(rooms.size());
                    for (int i = 0; i < rooms.size(); i++) {
                        batch.add(Tuple.of(offsets.get(i), rooms.get(i), text));
                    }
                    return conn.preparedQuery(SQL.get("publish")).executeBatch(batch).replaceWith(offsets);
                }));
    }

    @Override
    public Uni<List<LogEntry>> readAfter(long afterOffset, int limit) {
        return pool.preparedQuery(SQL.get("read_after")).execute(Tuple.of(afterOffset, limit))
                .map(OracleProgressLog::entries);
    }

    @Override
    public Uni<List<LogEntry>> roomHistory(String room, long afterOffset, int limit) {
        return pool.preparedQuery(SQL.get("room_history"))
                .execute(Tuple.of(room, afterOffset, limit))
                .map(OracleProgressLog::entries);
    }

    @Override
    public Uni<Long> headOffset() {
        return pool.preparedQuery(SQL.get("head_offset")).execute().map(rows -> rows.iterator().next().getLong("id"));
    }

    @Override
    public Uni<String> epoch() {
        return pool.preparedQuery(SQL.get("epoch")).execute().map(rows -> rows.iterator().next().getString("epoch"));
    }

    private static List<LogEntry> entries(RowSet<Row> rows) {
        List<LogEntry> entries = new ArrayList<>(rows.size());
        rows.forEach(row -> entries.add(OracleRows.logEntry(row)));
        return entries;
    }
}
