package dev.jobflow.oracle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.DatabaseException;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.StreamInfo;
import dev.jobflow.core.model.TailBatch;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.ProgressLog;

/** Oracle adapter of the progress log; statements in {@code sql/oracle/queries/progress.sql}. */
public class OracleProgressLog implements ProgressLog {
    private static final Logger LOG = Logger.getLogger(OracleProgressLog.class);
    private static final NamedQueries SQL = NamedQueries.load("db/queries/oracle/progress.sql");
    /** Rows deleted per trim statement (short transactions, like PostgreSQL's adapter). */
    private static final int TRIM_CHUNK = 5000;

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
        // Each offset is taken inside its INSERT (the column default), as the trigger and
        // jobflow_api.send do: the writer holds its transaction before any tailer can see the offset
        // as a hole (issue 16). CURRVAL then reads back the offset this session just used.
        return pool.withTransaction(conn -> {
            Uni<List<Long>> offsets = Uni.createFrom().<List<Long>> item(new ArrayList<>(rooms.size()));
            for (String room : rooms) {
                offsets = offsets.flatMap(taken -> conn.preparedQuery(SQL.get("publish")).execute(Tuple.of(room, text))
                        .flatMap(inserted -> conn.preparedQuery(SQL.get("published_offset")).execute())
                        .map(rows -> {
                            taken.add(rows.iterator().next().getLong("id"));
                            return taken;
                        }));
            }
            return offsets;
        });
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

    // The hub's methods below match the ProgressLog port on main (statements: progress.sql).

    @Override
    /** Like {@link #readAfter}, plus the token of the read (its server time, see writers_alive). */
    public Uni<TailBatch> readTail(long afterOffset, int limit) {
        return pool.preparedQuery(SQL.get("read_tail")).execute(Tuple.of(afterOffset, limit)).flatMap(rows -> {
            if (rows.size() == 0) {
                // an empty read still needs its token: a hole has no visible row to carry it
                return snapshot().map(snapshot -> new TailBatch(List.of(), snapshot));
            }
            String snapshot = rows.iterator().next().getString("snapshot");
            return Uni.createFrom().item(new TailBatch(entries(rows), snapshot));
        });
    }

    @Override
    public Uni<String> snapshot() {
        return pool.preparedQuery(SQL.get("snapshot")).execute().map(rows -> rows.iterator().next().getString("snapshot"));
    }

    @Override
    /** Whether a transaction begun by {@code snapshot} still holds a DML lock on progress_log. */
    public Uni<Boolean> writersAlive(String snapshot) {
        return pool.preparedQuery(SQL.get("writers_alive")).execute(Tuple.of(snapshot))
                .map(rows -> rows.iterator().next().getInteger("n") > 0);
    }

    @Override
    public Uni<Optional<LogEntry>> latest(String room) {
        return pool.preparedQuery(SQL.get("room_latest")).execute(Tuple.of(room))
                .map(rows -> entries(rows).stream().findFirst());
    }

    @Override
    public Uni<StreamInfo> streamInfo() {
        return pool.preparedQuery(SQL.get("stream_info")).execute().map(rows -> {
            Row row = rows.iterator().next();
            return new StreamInfo(row.getString("epoch"), row.getLong("retained_from"), row.getLong("head"));
        });
    }

    @Override
    public Uni<Long> trim(Duration maxAge, long maxCount) {
        return pool.preparedQuery(SQL.get("trim_cutoff")).execute(Tuple.of(maxAge.toMillis(), Math.max(1, maxCount)))
                .map(rows -> rows.iterator().next().getLong("keep_from"))
                // the floor rises first: a resume that reads history and then the floor sees any deletion
                .flatMap(keepFrom -> pool.preparedQuery(SQL.get("raise_retained_from")).execute(Tuple.of(keepFrom))
                        .flatMap(ignored -> deleteBelow(keepFrom, 0L)));
    }

    private Uni<Long> deleteBelow(long keepFrom, long deletedSoFar) {
        return pool.preparedQuery(SQL.get("trim_before")).execute(Tuple.of(keepFrom, TRIM_CHUNK)).flatMap(rows -> {
            long total = deletedSoFar + rows.rowCount();
            return rows.rowCount() < TRIM_CHUNK ? Uni.createFrom().item(total) : deleteBelow(keepFrom, total);
        });
    }

    @Override
    public Uni<Optional<String>> apiKeyName(String keySha256) {
        return pool.preparedQuery(SQL.get("api_key_name")).execute(Tuple.of(keySha256))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("name")));
    }

    @Override
    public Uni<String> sharedSigningSecret(String candidate) {
        return pool.preparedQuery(SQL.get("signing_key_insert")).execute(Tuple.of(candidate))
                .replaceWithVoid()
                // a racing replica inserted first (ORA-00001): read the stored one
                .onFailure(OracleProgressLog::isDuplicateKey).recoverWithNull()
                .flatMap(ignored -> pool.preparedQuery(SQL.get("signing_key")).execute())
                .map(rows -> rows.iterator().next().getString("secret"));
    }

    private static boolean isDuplicateKey(Throwable failure) {
        // DatabaseException or the driver's SQLException (see OracleJobStore.isDuplicateKey)
        return failure instanceof DatabaseException db && db.getErrorCode() == 1
                || failure instanceof java.sql.SQLException sql && sql.getErrorCode() == 1;
    }

    private static List<LogEntry> entries(RowSet<Row> rows) {
        List<LogEntry> entries = new ArrayList<>(rows.size());
        for (Row row : rows) {
            LogEntry entry = OracleRows.logEntry(row);
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
