package dev.jobflow.postgres;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;

import dev.jobflow.core.sql.SqlProgressLog;
import dev.jobflow.core.store.NamedQueries;

/**
 * PostgreSQL adapter of the progress log: the shared {@link SqlProgressLog} over
 * {@code sql/postgres/queries/progress.sql}; a message is one INSERT of a row per room, each
 * taking its offset from the sequence inside the INSERT. Every insert notifies the channel
 * {@value #COMMITS_CHANNEL} when it commits (V025); {@link #subscribeCommits} listens to it.
 */
public class PgProgressLog extends SqlProgressLog {
    /** SQLSTATE unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** The channel V025's trigger notifies once per transaction that inserted into progress_log. */
    static final String COMMITS_CHANNEL = "jobflow_progress";

    private final PgVacuum vacuum;
    private final Vertx vertx;
    private final PgConnectOptions connectOptions;

    /** @param connectOptions for the LISTEN connection of {@link #subscribeCommits} */
    public PgProgressLog(Vertx vertx, Pool pool, PgConnectOptions connectOptions) {
        super(pool, NamedQueries.load("db/queries/postgres/progress.sql"));
        this.vertx = vertx;
        this.connectOptions = connectOptions;
        this.vacuum = new PgVacuum(pool, "progress_log");
    }

    @Override
    public Uni<Optional<AutoCloseable>> subscribeCommits(Runnable listener) {
        return PgDatabase.listen(vertx, connectOptions, COMMITS_CHANNEL, listener).map(Optional::of);
    }

    @Override
    public Uni<Long> trim(Duration maxAge, long maxCount) {
        return super.trim(maxAge, maxCount).call(deleted -> deleted > 0 ? vacuum.afterDelete()
                : Uni.createFrom().voidItem());
    }

    @Override
    public Uni<List<Long>> publish(List<String> rooms, JsonObject payload) {
        return query("publish", Tuple.of(rooms.toArray(String[]::new), payload)).map(rows -> {
            List<Long> offsets = new ArrayList<>(rows.size());
            rows.forEach(row -> offsets.add(row.getLong("id")));
            return offsets;
        });
    }

    /** Whether {@code failure} is PostgreSQL's unique-key violation. */
    public static boolean isDuplicateKey(Throwable failure) {
        return failure instanceof PgException pg && UNIQUE_VIOLATION.equals(pg.getSqlState());
    }
}
