package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Failure;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobEvent;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.model.WebhookCall;
import dev.jobflow.core.model.WebhookDelivery;
import dev.jobflow.core.model.WebhookResult;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.core.store.QueueNotFoundException;

/**
 * The outbox of job lifecycle events and the queues' webhooks (issue 18), for every backend: one
 * event per committed change, none for a rolled-back one, relayed in order by one relay at a time,
 * marked only for what was sent; webhook deliveries recorded, retried with backoff, in order per
 * job, given up after the attempts; pruned by age.
 */
public abstract class EventOutboxContract extends BackendContract {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration LATER = Duration.ofHours(1);

    protected EventOutboxContract() {
        super("events");
    }

    private EventOutbox outbox() {
        return fixture().eventOutbox();
    }

    private Job submit(String name, String queue, int attempts) {
        return await(store().submitJob(NewJob.of(name, "alice", "demo", Map.of()).onQueue(queue)
                .withMaxAttempts(attempts))).job();
    }

    private ClaimedJob claim(String queue) {
        return await(store().claimJobs(ClaimRequest.of("d1", 1, LEASE).fromQueue(queue))).get(0);
    }

    private List<String> events(Job job) {
        return await(outbox().listEvents(job.id())).stream().map(JobEvent::event).toList();
    }

    /**
     * Jobs changed together (a batch submit, one claim of many slots, ends committed together: one
     * statement each on PostgreSQL, whose triggers write set-based) each get their own rows.
     */
    @Test
    void jobsChangedTogetherEachGetTheirEventsRunAndProgressRows() {
        List<NewJob> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(NewJob.of("together-" + i, "alice", "demo", Map.of("n", i)));
        }
        List<Job> jobs = await(store().submitJobs(batch)).stream().map(r -> r.job()).toList();
        List<ClaimedJob> claimed = await(store().claimJobs(ClaimRequest.of("d1", 5, LEASE)));
        assertThat(claimed).hasSize(5);
        List<Uni<Void>> ends = new ArrayList<>();
        claimed.forEach(job -> ends.add(store().completeJob(job.lease(), "{\"n\": " + job.job().params().get("n") + "}")));
        await(Uni.join().all(ends).andFailFast());

        for (Job job : jobs) {
            assertThat(events(job)).as("events of " + job.name()).containsExactly("SUBMITTED", "STARTED", "COMPLETED");
            assertThat(await(store().listRuns(job.id()))).as("runs of " + job.name()).singleElement()
                    .satisfies(run -> {
                        assertThat(run.outcome()).isEqualTo("COMPLETED");
                        assertThat(run.replica()).isEqualTo("d1");
                        assertThat(run.attempt()).isEqualTo(1);
                    });
            assertThat(await(fixture().progressLog().roomHistory("job:" + job.id(), 0, 10)))
                    .as("progress of " + job.name())
                    .extracting(entry -> entry.payload().getString("status") + " " + entry.payload().getInteger("pct")
                            + " " + entry.payload().getLong("job_id"))
                    .containsExactly("QUEUED 0 " + job.id(), "RUNNING 0 " + job.id(), "COMPLETED 100 " + job.id());
            assertThat(await(store().findJob(job.id())).orElseThrow().result()).as("its own result")
                    .isEqualTo(Map.of("n", job.params().get("n")));
        }
    }

    @Test
    void everyCommittedChangeLeavesOneEventInTheOrderOfTheChanges() {
        Job flaky = submit("flaky", "default", 2);
        ClaimedJob first = claim("default");
        await(store().failJob(first.lease(), Failure.retryAt("IOException: gone", Instant.now().minusSeconds(1))));
        ClaimedJob second = claim("default");
        await(store().completeJob(second.lease(), null));
        assertThat(events(flaky)).containsExactly("SUBMITTED", "STARTED", "RETRYING", "STARTED", "COMPLETED");
        List<JobEvent> all = await(outbox().listEvents(flaky.id()));
        assertThat(all.get(2).error()).contains("IOException: gone");
        assertThat(all.get(2).attempt()).isEqualTo(1);
        assertThat(all.get(4).attempt()).isEqualTo(2);
        assertThat(all).allSatisfy(e -> {
            assertThat(e.queue()).isEqualTo("default");
            assertThat(e.jobType()).isEqualTo("demo");
            assertThat(e.sentAt()).isNull();
        });
        assertThat(all).extracting(JobEvent::id).isSorted();

        Job broken = submit("broken", "default", 1);
        await(store().failJob(claim("default").lease(), Failure.withoutRetry("no such file")));
        assertThat(events(broken)).containsExactly("SUBMITTED", "STARTED", "FAILED");

        Job unwanted = submit("unwanted", "default", 1);
        await(store().cancelJob(unwanted.id()));
        assertThat(events(unwanted)).containsExactly("SUBMITTED", "CANCELLED");
        assertThat(await(outbox().listEvents(999_999))).isEmpty();
    }

    @Test
    void aRolledBackChangeLeavesNoEvent() {
        Job job = submit("kept", "default", 1);
        Uni<Object> rolledBack = fixture().pool().withTransaction(conn -> conn
                .query("update jobs set status = 'CANCELLED' where id = " + job.id()).execute()
                .flatMap(done -> Uni.createFrom().failure(new IllegalStateException("roll back"))));
        assertThatThrownBy(() -> await(rolledBack)).hasMessageContaining("roll back");
        assertThat(events(job)).containsExactly("SUBMITTED");
        List<String> relayed = new ArrayList<>();
        await(outbox().relayEvents(100, events -> {
            events.forEach(e -> relayed.add(e.event()));
            return Uni.createFrom().item(events.size());
        }));
        assertThat(relayed).containsExactly("SUBMITTED");
    }

    @Test
    void theRelayPublishesInIdOrderAndMarksOnlyWhatTheBrokerTook() {
        Job a = submit("a", "default", 1);
        Job b = submit("b", "default", 1);
        await(store().completeJob(claim("default").lease(), null)); // a: STARTED, COMPLETED
        List<JobEvent> published = new ArrayList<>();

        assertThat(await(outbox().relayEvents(100, events -> {
            published.addAll(events.subList(0, 2));
            return Uni.createFrom().item(2); // the broker took two, then failed
        }))).isEqualTo(2);
        assertThatThrownBy(() -> await(outbox().relayEvents(100,
                events -> Uni.createFrom().failure(new IllegalStateException("broker down")))))
                .hasMessageContaining("broker down");
        assertThat(await(outbox().relayEvents(2, events -> {
            published.addAll(events);
            return Uni.createFrom().item(events.size());
        }))).isEqualTo(2);
        assertThat(await(outbox().relayEvents(100, events -> {
            published.addAll(events);
            return Uni.createFrom().item(events.size());
        }))).isZero();

        assertThat(published).extracting(e -> e.jobId() + ":" + e.event()).containsExactly(
                a.id() + ":SUBMITTED", b.id() + ":SUBMITTED", a.id() + ":STARTED", a.id() + ":COMPLETED");
        assertThat(await(outbox().listEvents(a.id()))).allSatisfy(e -> assertThat(e.sentAt()).isNotNull());
        assertThat(published.get(0).toJson()).contains("\"event\":\"SUBMITTED\"").contains("\"job_id\":" + a.id())
                .contains("\"queue\":\"default\"").contains("\"type\":\"demo\"");
    }

    @Test
    void oneRelayOfEachKindAtATime() {
        submit("a", "default", 1);
        AtomicInteger inner = new AtomicInteger();
        assertThat(await(outbox().relayEvents(100, events -> outbox().relayEvents(100, e -> Uni.createFrom().item(e.size()))
                .map(result -> {
                    inner.set(result);
                    return events.size();
                })))).isEqualTo(1);
        assertThat(inner.get()).as("a second relay while the first runs").isEqualTo(-1);

        await(store().putQueue(QueueSettings.named("hooks")));
        await(outbox().putWebhook("hooks", "http://127.0.0.1:9/hook", "s3cret"));
        submit("b", "hooks", 1);
        assertThat(await(outbox().relayWebhooks(10, 3, n -> LATER, call -> outbox()
                .relayWebhooks(10, 3, n -> LATER, nested -> Uni.createFrom().item(new WebhookResult(200, null)))
                .map(result -> {
                    inner.set(result);
                    return new WebhookResult(200, null);
                })))).isEqualTo(1);
        assertThat(inner.get()).isEqualTo(-1);
    }

    @Test
    void webhooksAreRecordedRetriedWithBackoffInOrderPerJobAndGivenUp() {
        await(store().putQueue(QueueSettings.named("hooks")));
        await(outbox().putWebhook("hooks", "http://127.0.0.1:9/hook", "s3cret"));
        assertThat(await(outbox().findWebhook("hooks"))).hasValueSatisfying(hook -> {
            assertThat(hook.url()).isEqualTo("http://127.0.0.1:9/hook");
            assertThat(hook.secretSet()).isTrue();
            assertThat(hook.toString()).doesNotContain("s3cret");
        });
        assertThat(await(outbox().findWebhook("default"))).isEmpty();
        assertThatThrownBy(() -> await(outbox().findWebhook("nope"))).isInstanceOf(QueueNotFoundException.class);
        assertThatThrownBy(() -> await(outbox().putWebhook("nope", "http://x", "y")))
                .isInstanceOf(QueueNotFoundException.class);

        Job plain = submit("plain", "default", 1);
        Job hooked = submit("hooked", "hooks", 1);
        claim("hooks"); // a second event of the same job: waits while the first is retried
        List<WebhookCall> calls = new ArrayList<>();
        AtomicInteger status = new AtomicInteger(500);
        List<Integer> backoffs = new ArrayList<>();

        assertThat(await(outbox().relayWebhooks(10, 3, n -> {
            backoffs.add(n);
            return Duration.ZERO;
        }, call -> {
            calls.add(call);
            return Uni.createFrom().item(new WebhookResult(status.get(), status.get() == 500 ? "HTTP 500" : null));
        }))).isEqualTo(1);
        assertThat(calls.get(0).event().event()).isEqualTo("SUBMITTED");
        assertThat(calls.get(0).secret()).isEqualTo("s3cret");
        assertThat(calls.get(0).attempt()).isEqualTo(1);
        assertThat(calls.get(0).toString()).doesNotContain("s3cret");
        assertThat(backoffs).containsExactly(1);

        status.set(204);
        assertThat(await(outbox().relayWebhooks(10, 3, n -> Duration.ZERO, call -> {
            calls.add(call);
            return Uni.createFrom().item(new WebhookResult(status.get(), null));
        }))).isEqualTo(1);
        assertThat(await(outbox().relayWebhooks(10, 3, n -> Duration.ZERO, call -> {
            calls.add(call);
            return Uni.createFrom().item(new WebhookResult(status.get(), null));
        }))).isEqualTo(1);
        assertThat(calls).extracting(c -> c.event().event() + "#" + c.attempt())
                .containsExactly("SUBMITTED#1", "SUBMITTED#2", "STARTED#1");
        assertThat(calls).allSatisfy(c -> assertThat(c.event().jobId()).isEqualTo(hooked.id()));

        List<WebhookDelivery> deliveries = await(outbox().listDeliveries(hooked.id()));
        assertThat(deliveries).extracting(WebhookDelivery::event, WebhookDelivery::attempt, WebhookDelivery::statusCode,
                WebhookDelivery::outcome).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("SUBMITTED", 1, 500, "RETRY"),
                        org.assertj.core.groups.Tuple.tuple("SUBMITTED", 2, 204, "DELIVERED"),
                        org.assertj.core.groups.Tuple.tuple("STARTED", 1, 204, "DELIVERED"));
        assertThat(deliveries.get(0).error()).isEqualTo("HTTP 500");
        assertThat(deliveries.get(0).url()).isEqualTo("http://127.0.0.1:9/hook");
        assertThat(await(outbox().listDeliveries(plain.id()))).as("its queue has no webhook").isEmpty();

        Job doomed = submit("doomed", "hooks", 1);
        for (int attempt = 1; attempt <= 2; attempt++) {
            await(outbox().relayWebhooks(10, 2, n -> Duration.ZERO,
                    call -> Uni.createFrom().failure(new java.net.ConnectException("refused"))));
        }
        assertThat(await(outbox().listDeliveries(doomed.id()))).extracting(WebhookDelivery::outcome)
                .containsExactly("RETRY", "GAVE_UP");
        assertThat(await(outbox().listDeliveries(doomed.id())).get(0).statusCode()).isNull();
        assertThat(await(outbox().listDeliveries(doomed.id())).get(0).error()).contains("refused");
        assertThat(await(outbox().relayWebhooks(10, 2, n -> Duration.ZERO, call -> {
            throw new AssertionError("nothing is due after giving up: " + call);
        }))).isZero();

        Job late = submit("late", "hooks", 1);
        await(outbox().relayWebhooks(10, 3, n -> LATER, call -> Uni.createFrom().item(new WebhookResult(503, "HTTP 503"))));
        assertThat(await(outbox().relayWebhooks(10, 3, n -> LATER, call -> {
            throw new AssertionError("not due before its backoff: " + call);
        }))).isZero();
        await(outbox().putWebhook("hooks", null, null));
        assertThat(await(outbox().findWebhook("hooks"))).isEmpty();
        submit("unhooked", "hooks", 1);
        assertThat(await(outbox().listEvents(late.id()))).hasSize(1);
    }

    @Test
    void eventsArePrunedByAgeAndWithTheirJob() {
        Job a = submit("a", "default", 1);
        await(store().cancelJob(a.id()));
        assertThat(await(outbox().pruneEvents(Duration.ofDays(1), 100))).isZero();
        assertThat(events(a)).hasSize(2);
        assertThat(await(outbox().pruneEvents(Duration.ZERO, 1))).isEqualTo(1);
        assertThat(await(outbox().pruneEvents(Duration.ZERO, 100))).isEqualTo(1);
        assertThat(events(a)).isEmpty();

        Job b = submit("b", "default", 1);
        await(store().cancelJob(b.id()));
        await(store().deleteJob(b.id()));
        assertThat(events(b)).isEmpty();
    }
}
