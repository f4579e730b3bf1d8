package dev.jobflow.core.sql;

import java.util.Optional;
import java.util.function.Predicate;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.auth.JobApiKey;
import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.NamedQueries;

/** {@link Credentials} for any SQL backend over its {@code sql/<dialect>/queries/keys.sql}. */
public final class SqlCredentials implements Credentials {
    private final Pool pool;
    private final NamedQueries sql;
    private final Predicate<Throwable> isDuplicateKey;

    /**
     * @param isDuplicateKey whether a failure is the backend's unique-key violation (a replica that
     *        stores the signing secret at the same time as another loses, and reads the other's)
     */
    public SqlCredentials(Pool pool, NamedQueries sql, Predicate<Throwable> isDuplicateKey) {
        this.pool = pool;
        this.sql = sql;
        this.isDuplicateKey = isDuplicateKey;
    }

    @Override
    public Uni<Optional<JobApiKey>> jobApiKey(String keySha256) {
        return query("job_api_key", Tuple.of(keySha256)).map(rows -> {
            if (rows.size() == 0) {
                return Optional.empty();
            }
            Row row = rows.iterator().next();
            return Optional.of(JobApiKey.of(row.getString("name"), row.getString("role"), row.getString("queues")));
        });
    }

    @Override
    public Uni<Optional<String>> producerKeyName(String keySha256) {
        return name("producer_key_name", keySha256);
    }

    @Override
    public Uni<String> sharedSigningSecret(String candidate) {
        return query("signing_key_insert", Tuple.of(candidate))
                .replaceWithVoid()
                .onFailure(isDuplicateKey).recoverWithNull()
                .flatMap(ignored -> query("signing_key", Tuple.tuple()))
                .map(rows -> rows.iterator().next().getString("secret"));
    }

    @Override
    public Uni<String> keysFingerprint() {
        return query("keys_fingerprint", Tuple.tuple()).map(rows -> rows.iterator().next().getString("fingerprint"));
    }

    private Uni<Optional<String>> name(String statement, String keySha256) {
        return query(statement, Tuple.of(keySha256))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("name")));
    }

    private Uni<RowSet<Row>> query(String statement, Tuple args) {
        return pool.preparedQuery(sql.get(statement)).execute(args);
    }
}
