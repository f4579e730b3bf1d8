package dev.jobflow.core.sql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.StreamInfo;
import dev.jobflow.core.model.TailBatch;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProgressLog;

/**
 * {@link ProgressLog} for any SQL backend over its statement file
 * ({@code sql/<dialect>/queries/progress.sql}): everything but the write of a message is the same
 * in every dialect, and lives here. A backend adds {@link #publish} (how offsets are taken at
 * insert differs).
 */
public abstract class SqlProgressLog implements ProgressLog {
    private static final Logger LOG = Logger.getLogger(SqlProgressLog.class);
    /** Rows deleted per retention statement, so one trim never holds a long transaction. */
    private static final int TRIM_CHUNK = 5000;

    protected final Pool pool;
    protected final NamedQueries sql;

    protected SqlProgressLog(Pool pool, NamedQueries sql) {
        this.pool = pool;
        this.sql = sql;
    }

    @Override
    public Uni<List<LogEntry>> readAfter(long afterOffset, int limit) {
        return query("read_after", Tuple.of(afterOffset, limit)).map(SqlProgressLog::entries);
    }

    @Override
    public Uni<List<LogEntry>> roomHistory(String room, long afterOffset, int limit) {
        return query("room_history", Tuple.of(room, afterOffset, limit)).map(SqlProgressLog::entries);
    }

    @Override
    public Uni<Long> headOffset() {
        return query("head_offset", Tuple.tuple()).map(rows -> rows.iterator().next().getLong("id"));
    }

    @Override
    public Uni<String> epoch() {
        return query("epoch", Tuple.tuple()).map(rows -> rows.iterator().next().getString("epoch"));
    }

    @Override
    public Uni<TailBatch> readTail(long afterOffset, int limit) {
        return query("read_tail", Tuple.of(afterOffset, limit)).flatMap(rows -> {
            if (rows.size() == 0) {
                // an empty read still needs its snapshot: a hole has no visible row to carry it
                return snapshot().map(snapshot -> new TailBatch(List.of(), snapshot));
            }
            String snapshot = rows.iterator().next().getString("snapshot");
            return Uni.createFrom().item(new TailBatch(entries(rows), snapshot));
        });
    }

    @Override
    public Uni<String> snapshot() {
        return query("snapshot", Tuple.tuple()).map(rows -> rows.iterator().next().getString("snapshot"));
    }

    @Override
    public Uni<Boolean> writersAlive(String snapshot) {
        return query("writers_alive", Tuple.of(snapshot)).map(rows -> rows.iterator().next().getInteger("n") > 0);
    }

    @Override
    public Uni<Optional<LogEntry>> latest(String room) {
        return query("room_latest", Tuple.of(room)).map(rows -> entries(rows).stream().findFirst());
    }

    @Override
    public Uni<StreamInfo> streamInfo() {
        return query("stream_info", Tuple.tuple()).map(rows -> {
            Row row = rows.iterator().next();
            return new StreamInfo(row.getString("epoch"), row.getLong("retained_from"), row.getLong("head"));
        });
    }

    @Override
    public Uni<Long> trim(Duration maxAge, long maxCount) {
        return query("trim_cutoff", Tuple.of(maxAge.toMillis(), Math.max(1, maxCount)))
                .map(rows -> rows.iterator().next().getLong("keep_from"))
                // the floor rises first: a resume that reads history and then the floor sees any deletion
                .flatMap(keepFrom -> query("raise_retained_from", Tuple.of(keepFrom))
                        .flatMap(ignored -> deleteBelow(keepFrom, 0L)));
    }

    private Uni<Long> deleteBelow(long keepFrom, long deletedSoFar) {
        return query("trim_before", Tuple.of(keepFrom, TRIM_CHUNK)).flatMap(rows -> {
            long total = deletedSoFar + rows.rowCount();
            return rows.rowCount() < TRIM_CHUNK ? Uni.createFrom().item(total) : deleteBelow(keepFrom, total);
        });
    }

    protected Uni<RowSet<Row>> query(String statement, Tuple args) {
        return pool.preparedQuery(sql.get(statement)).execute(args);
    }

    protected static List<LogEntry> entries(RowSet<Row> rows) {
        List<LogEntry> entries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            LogEntry entry = SqlRows.logEntry(row);
            if (entry != null) {
                entries.add(entry);
            } else {
                // Skipped, not fatal: the tailer passes its offset as a hole once no writer holds it.
                LOG.warnf("progress_log offset %d (room %s) is not a JSON object and is skipped",
                        row.getLong("id"), row.getString("room"));
            }
        }
        return entries;
    }
}
