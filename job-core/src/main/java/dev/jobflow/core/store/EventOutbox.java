package dev.jobflow.core.store;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntFunction;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.JobEvent;
import dev.jobflow.core.model.QueueWebhook;
import dev.jobflow.core.model.WebhookCall;
import dev.jobflow.core.model.WebhookDelivery;
import dev.jobflow.core.model.WebhookResult;

/**
 * The transactional outbox of job lifecycle events (V018) and the queues' webhooks. The database
 * writes an event in the transaction of every status change of a job (a rolled-back change leaves
 * none); the dispatcher relays them to a broker and to webhooks, one relay of each kind at a time
 * across replicas (the database decides which), in id order, so each job's events go out in the
 * order of its changes, at least once.
 */
public interface EventOutbox {

    /** The events of one job, oldest first (empty for an unknown job). */
    Uni<List<JobEvent>> listEvents(long jobId);

    /**
     * One broker relay pass: unless another replica's pass holds the relay, reads up to {@code max}
     * unsent events in id order and hands them to {@code publish}, which answers how many of the
     * leading ones the broker took (it stops at the first it could not send); marks those sent. A
     * failed {@code publish} marks nothing.
     *
     * @return how many were marked sent, or -1 when another replica's pass runs
     */
    Uni<Integer> relayEvents(int max, Function<List<JobEvent>, Uni<Integer>> publish);

    /**
     * One webhook pass: unless another replica's pass holds it, takes up to {@code max} due
     * deliveries (only the first pending one of each job, so a job's events arrive in order) and
     * calls {@code deliver} for each, one after another. Each attempt is recorded
     * ({@link #listDeliveries}); a failed one is due again after {@code backoff.apply(attempts)}
     * until {@code maxAttempts} are spent, then given up. An event whose queue lost its webhook is
     * dropped without a call.
     *
     * @return how many calls were made, or -1 when another replica's pass runs
     */
    Uni<Integer> relayWebhooks(int max, int maxAttempts, IntFunction<Duration> backoff,
            Function<WebhookCall, Uni<WebhookResult>> deliver);

    /** The webhook delivery attempts for one job's events, oldest first. */
    Uni<List<WebhookDelivery>> listDeliveries(long jobId);

    /**
     * Sets a queue's webhook (events written from now on are delivered there, signed with
     * {@code secret}); null URL and secret remove it. Fails with {@link QueueNotFoundException}.
     */
    Uni<Void> putWebhook(String queue, String url, String secret);

    /**
     * A queue's webhook (empty when it has none); never the secret. Fails with
     * {@link QueueNotFoundException}.
     */
    Uni<Optional<QueueWebhook>> findWebhook(String queue);

    /**
     * Removes events written more than {@code maxAge} ago, sent or not, at most {@code batch}
     * (retention; a job's events also go with the job).
     *
     * @return how many were removed
     */
    Uni<Integer> pruneEvents(Duration maxAge, int batch);
}
