package dev.jobflow.oracle;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

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

}
