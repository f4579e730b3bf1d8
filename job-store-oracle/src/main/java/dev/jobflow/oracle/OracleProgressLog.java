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
 * {@code sql/oracle/queries/progress.sql}. A message takes its offsets first and inserts a row per
 * room in one batch (the reactive client cannot return generated ids of an array insert).
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
        return pool.withTransaction(conn -> conn.preparedQuery(sql.get("next_offsets"))
                .execute(Tuple.of(rooms.size()))
                .flatMap(ids -> {
                    List<Long> offsets = new ArrayList<>(rooms.size());
                    ids.forEach(row -> offsets.add(row.getLong("id")));
                    offsets.sort(null); // room order gets increasing offsets
                    List<Tuple> batch = new ArrayList<>(rooms.size());
                    for (int i = 0; i < rooms.size(); i++) {
                        batch.add(Tuple.of(offsets.get(i), rooms.get(i), text));
                    }
                    return conn.preparedQuery(sql.get("publish")).executeBatch(batch).replaceWith(offsets);
                }));
    }

}
