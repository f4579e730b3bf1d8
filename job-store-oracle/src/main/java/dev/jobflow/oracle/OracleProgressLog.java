package dev.jobflow.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.sql.SqlProgressLog;
import dev.jobflow.core.store.NamedQueries;

/**
 * Oracle adapter of the progress log: the shared {@link SqlProgressLog} over
 * {@code sql/oracle/queries/progress.sql}. A message is one INSERT per room, each taking its offset
 * from the column default inside the INSERT and reading it back with CURRVAL.
 */
public class OracleProgressLog extends SqlProgressLog {

    public OracleProgressLog(Pool pool) {
        super(pool, NamedQueries.load("db/queries/oracle/progress.sql"));
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
                offsets = offsets.flatMap(taken -> conn.preparedQuery(sql.get("publish")).execute(Tuple.of(room, text))
                        .flatMap(inserted -> conn.preparedQuery(sql.get("published_offset")).execute())
                        .map(rows -> {
                            taken.add(rows.iterator().next().getLong("id"));
                            return taken;
                        }));
            }
            return offsets;
        });
    }

    // room_history and room_latest read a room in three branches (its own rows, a user's job events,
    // all job events: V023); Oracle's binds are positional, so each value is passed where it is used.

    @Override
    public Uni<List<LogEntry>> roomHistory(String room, long afterOffset, int limit) {
        return query("room_history", Tuple.tuple(Arrays.asList(room, afterOffset, limit, ownerOf(room), afterOffset, limit,
                room, afterOffset, limit, limit))).map(SqlProgressLog::entries);
    }

    @Override
    public Uni<Optional<LogEntry>> latest(String room) {
        return query("room_latest", Tuple.tuple(Arrays.asList(room, ownerOf(room), room)))
                .map(rows -> entries(rows).stream().findFirst());
    }

    /** The owner whose jobs the room {@code user:<owner>} shows; null for any other room. */
    private static String ownerOf(String room) {
        return room.startsWith(LogEntry.ownerRoom("")) ? room.substring(LogEntry.ownerRoom("").length()) : null;
    }

    /** Oracle cannot tell a reader when messages commit (V025): the hubs poll. */
    @Override
    public Uni<Optional<AutoCloseable>> subscribeCommits(Runnable listener) {
        return Uni.createFrom().item(Optional.empty());
    }
}
