package dev.jobflow.core.sql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import dev.jobflow.core.model.JobEvent;
import dev.jobflow.core.model.QueueWebhook;
import dev.jobflow.core.model.WebhookCall;
import dev.jobflow.core.model.WebhookDelivery;
import dev.jobflow.core.model.WebhookResult;
import dev.jobflow.core.store.ColumnLimits;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.core.store.QueueNotFoundException;

/**
 * {@link EventOutbox} for any SQL backend, over the backend's {@code jobs.sql} (statements of the
 * same names and binds in both dialects). A relay pass runs in one transaction that holds its
 * {@code maintenance_locks} row (SKIP LOCKED: another replica's pass skips), so the events it reads
 * are marked only when it commits; a pass that fails marks nothing and the events wait.
 */
public final class SqlEventOutbox implements EventOutbox {
    private static final int ERROR_BYTES = 1000;

    private final Pool pool;
    private final NamedQueries sql;

    /** @param statements the backend's jobs.sql */
    public SqlEventOutbox(Pool pool, NamedQueries statements) {
        this.pool = pool;
        this.sql = statements;
    }

    @Override
    public Uni<List<JobEvent>> listEvents(long jobId) {
        return query("list_events", Tuple.of(jobId)).map(SqlEventOutbox::events);
    }

    @Override
    public Uni<Integer> relayEvents(int max, Function<List<JobEvent>, Uni<Integer>> publish) {
        return pool.withTransaction(conn -> conn.preparedQuery(sql.get("lock_events")).execute(Tuple.tuple())
                .flatMap(locked -> locked.size() == 0 ? Uni.createFrom().item(-1)
                        : conn.preparedQuery(sql.get("unsent_events")).execute(Tuple.of(max)).flatMap(rows -> {
                            List<JobEvent> events = events(rows);
                            if (events.isEmpty()) {
                                return Uni.createFrom().item(0);
                            }
                            return publish.apply(events).flatMap(sent -> markSent(conn, events.subList(0,
                                    Math.max(0, Math.min(sent, events.size())))));
                        })));
    }

    private Uni<Integer> markSent(SqlConnection conn, List<JobEvent> sent) {
        if (sent.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        List<Tuple> ids = sent.stream().map(e -> Tuple.of(e.id())).toList();
        return conn.preparedQuery(sql.get("event_sent")).executeBatch(ids).replaceWith(sent.size());
    }

    @Override
    public Uni<Integer> relayWebhooks(int max, int maxAttempts, IntFunction<Duration> backoff,
            Function<WebhookCall, Uni<WebhookResult>> deliver) {
        return pool.withTransaction(conn -> conn.preparedQuery(sql.get("lock_webhooks")).execute(Tuple.tuple())
                .flatMap(locked -> {
                    if (locked.size() == 0) {
                        return Uni.createFrom().item(-1);
                    }
                    return conn.preparedQuery(sql.get("due_webhooks")).execute(Tuple.of(max)).flatMap(rows -> {
                        Uni<Integer> chain = Uni.createFrom().item(0);
                        for (Row row : rows) {
                            JobEvent event = event(row);
                            int attempt = row.getInteger("hook_attempts") + 1;
                            String url = row.getString("webhook_url");
                            String secret = row.getString("webhook_secret");
                            chain = chain.flatMap(calls -> url == null
                                    ? conn.preparedQuery(sql.get("webhook_done")).execute(Tuple.of(attempt - 1, event.id()))
                                            .replaceWith(calls)
                                    : deliver.apply(new WebhookCall(event, url, secret, attempt))
                                            .onFailure().recoverWithItem(e -> new WebhookResult(null, e.toString()))
                                            .flatMap(result -> recordAttempt(conn, event, url, attempt, maxAttempts,
                                                    backoff, result))
                                            .replaceWith(calls + 1));
                        }
                        return chain;
                    });
                }));
    }

    private Uni<Void> recordAttempt(SqlConnection conn, JobEvent event, String url, int attempt, int maxAttempts,
            IntFunction<Duration> backoff, WebhookResult result) {
        String outcome = result.delivered() ? "DELIVERED" : attempt >= maxAttempts ? "GAVE_UP" : "RETRY";
        Tuple state = outcome.equals("RETRY") ? Tuple.of(backoff.apply(attempt).toMillis(), attempt, event.id())
                : Tuple.of(attempt, event.id());
        Tuple delivery = Tuple.tuple().addLong(event.jobId()).addLong(event.id()).addString(event.event())
                .addInteger(attempt).addString(url).addValue(result.statusCode()).addString(outcome)
                .addValue(ColumnLimits.truncateToBytes(result.error(), ERROR_BYTES));
        return conn.preparedQuery(sql.get("record_delivery")).execute(delivery)
                .flatMap(done -> conn.preparedQuery(sql.get(outcome.equals("RETRY") ? "webhook_later" : "webhook_done"))
                        .execute(state))
                .replaceWithVoid();
    }

    @Override
    public Uni<List<WebhookDelivery>> listDeliveries(long jobId) {
        return query("list_deliveries", Tuple.of(jobId)).map(rows -> {
            List<WebhookDelivery> deliveries = new ArrayList<>(rows.size());
            rows.forEach(row -> deliveries.add(new WebhookDelivery(row.getLong("id"), row.getLong("job_id"),
                    row.getLong("event_id"), row.getString("event"), row.getInteger("attempt"), row.getString("url"),
                    row.getInteger("status_code"), row.getString("outcome"), row.getString("error"),
                    SqlRows.instant(row, "at"))));
            return deliveries;
        });
    }

    @Override
    public Uni<Void> putWebhook(String queue, String url, String secret) {
        Tuple args = Tuple.tuple().addValue(url).addValue(secret).addString(queue);
        return query("put_webhook", args).flatMap(rows -> rows.rowCount() == 0
                ? Uni.createFrom().failure(new QueueNotFoundException(queue))
                : Uni.createFrom().voidItem());
    }

    @Override
    public Uni<Optional<QueueWebhook>> findWebhook(String queue) {
        return query("find_webhook", Tuple.of(queue)).map(rows -> {
            if (rows.size() == 0) {
                throw new QueueNotFoundException(queue);
            }
            Row row = rows.iterator().next();
            String url = row.getString("webhook_url");
            return url == null ? Optional.empty()
                    : Optional.of(new QueueWebhook(queue, url, row.getInteger("has_secret") == 1));
        });
    }

    @Override
    public Uni<Integer> pruneEvents(Duration maxAge, int batch) {
        return query("prune_events", Tuple.of(maxAge.toMillis(), batch)).map(RowSet::rowCount);
    }

    private Uni<RowSet<Row>> query(String statement, Tuple args) {
        return pool.preparedQuery(sql.get(statement)).execute(args);
    }

    private static List<JobEvent> events(RowSet<Row> rows) {
        List<JobEvent> events = new ArrayList<>(rows.size());
        rows.forEach(row -> events.add(event(row)));
        return events;
    }

    private static JobEvent event(Row row) {
        return new JobEvent(row.getLong("id"), row.getLong("job_id"), row.getString("queue"), row.getString("job_type"),
                row.getString("event"), row.getInteger("attempt"), row.getString("error"),
                SqlRows.instant(row, "created_at"), SqlRows.instant(row, "sent_at"));
    }
}
