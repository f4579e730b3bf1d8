package dev.jobflow.core.pg;

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

/** PostgreSQL adapter of the progress log. */
public class PgProgressLog implements ProgressLog {
    private static final NamedQueries SQL = NamedQueries.load("db/queries/postgres/progress.sql");

    private final Pool pool;

    public PgProgressLog(Pool pool) {
        this.pool = pool;
    }

    @Override
    public Uni<List<Long>> publish(List<String> rooms, JsonObject payload) {
        return pool.preparedQuery(SQL.get("publish"))
                .execute(Tuple.of(rooms.toArray(String[]::new), payload))
                .map(rows -> {
                    List<Long> offsets = new ArrayList<>(rows.size());
                    rows.forEach(row -> offsets.add(row.getLong("id")));
                    return offsets;
                });
    }

    @Override
    public Uni<List<LogEntry>> readAfter(long afterOffset, int limit) {
        return pool.preparedQuery(SQL.get("read_after")).execute(Tuple.of(afterOffset, limit)).map(PgProgressLog::entries);
    }

    @Override
    public Uni<List<LogEntry>> roomHistory(String room, long afterOffset, int limit) {
        return pool.preparedQuery(SQL.get("room_history"))
                .execute(Tuple.of(room, afterOffset, limit))
                .map(PgProgressLog::entries);
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
        rows.forEach(row -> entries.add(PgRows.logEntry(row)));
        return entries;
    }
}
