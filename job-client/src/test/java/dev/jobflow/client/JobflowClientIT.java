package dev.jobflow.client;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.jobflow.testing.ServiceStack;

/**
 * The client against the real thing: job-api, dispatcher and progress-hub as separate processes from their built
 * artifacts on a fresh PostgreSQL database. Nothing of the server is mocked.
 */
class JobflowClientIT {
    private static final Duration JOB_DONE = Duration.ofSeconds(60);

    private static ServiceStack stack;
    private static String apiKey;
    private static JobflowClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = ServiceStack.start("job_client", Map.of(
                "JOBFLOW_DISPATCHER_SLOTS", "4",
                // hub tokens that expire within a test: a subscription must refresh its token in place
                "JOBFLOW_API_TOKENS_TTL", "4s"));
        apiKey = stack.db().createJobApiKey("job-client-it");
        client = JobflowClient.builder().apiUrl(stack.apiUrl()).hubUrl(stack.hubUrl()).apiKey(apiKey)
                .hubUser("alice").reconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .pingInterval(Duration.ofSeconds(1)).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void aDemoJobIsAwaitedOverTheHubWithItsProgressInOrder() throws Exception {
        Job job = client.submit(SubmitRequest.builder("client demo", "demo").owner("alice").param("duration", 5)
                .param("step", 0.5).build());
        assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
        Events events = new Events();
        try (ProgressSubscription subscription = client.subscribe(job.id(), events)) {
            Job done = client.awaitCompletion(job.id(), JOB_DONE);

            assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.progressPct()).isEqualTo(100);
            assertThat(done.finishedAt()).isAfter(done.createdAt());
            assertThat(done.result()).as("the demo handler's result").isInstanceOf(Map.class);
            assertThat(new java.util.HashMap<Object, Object>((Map<?, ?>) done.result())).containsOnlyKeys("steps", "seconds");
            until("the COMPLETED message delivered", JOB_DONE, () -> events.any(ProgressEvent::isTerminal));
            List<ProgressEvent> seen = events.list();
            assertThat(seen).extracting(ProgressEvent::jobId).containsOnly(job.id());
            assertThat(seen).extracting(ProgressEvent::offset).isSorted().doesNotHaveDuplicates();
            List<ProgressEvent> progress = seen.stream().filter(ProgressEvent::isProgress).toList();
            assertThat(progress).extracting(ProgressEvent::pct).isSorted().endsWith(100);
            assertThat(progress).extracting(ProgressEvent::status).startsWith(JobStatus.QUEUED, JobStatus.RUNNING)
                    .endsWith(JobStatus.COMPLETED);
            // the demo job's log lines arrive live in the same room, one per step
            assertThat(seen.stream().map(ProgressEvent::log).filter(java.util.Objects::nonNull).toList())
                    .as("log lines").isNotEmpty().allSatisfy(line -> assertThat(line.get("message")).asString()
                            .startsWith("step "));
            assertThat(seen.stream().filter(e -> e.status() == JobStatus.RUNNING).count())
                    .as("progress steps while running").isGreaterThanOrEqualTo(3);
            assertThat(seen).extracting(ProgressEvent::offset).as("everything the room holds, nothing else")
                    .containsExactlyElementsOf(roomOffsets(job.id()));
            assertThat(events.errors).isEmpty();
            assertThat(subscription.connections()).as("one connection throughout, its 4 s token refreshed in place")
                    .isEqualTo(1);
            assertThat(subscription.state()).isEqualTo(ProgressSubscription.State.OPEN);
        }

        ReadmeExample.run(stack.apiUrl(), stack.hubUrl(), apiKey);
        assertThat(client.list(ListQuery.all().owner("alice")).items()).filteredOn(j -> j.name().equals("nightly load"))
                .singleElement().extracting(Job::status).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aQuietSubscriptionStaysOnItsConnection() {
        Job later = client.submit(SubmitRequest.builder("quiet", "noop").owner("alice")
                .runAt(Instant.now().plus(Duration.ofHours(1))).build());
        Events events = new Events();
        try (ProgressSubscription subscription = client.subscribe(later.id(), events)) {
            until("the QUEUED message delivered", JOB_DONE, () -> events.any(e -> e.status() == JobStatus.QUEUED));
            // nothing more comes for an hour: only the pongs keep the connection alive (silent for 3 s: dead)
            until("four pongs", Duration.ofSeconds(30), () -> subscription.pongs() >= 4);
            assertThat(subscription.connections()).as("no reconnect; errors: " + events.errors).isEqualTo(1);
            assertThat(events.list()).hasSize(1);
        }
    }

    @Test
    void submitAllListsInPagesAndNeverDuplicates() {
        String owner = "pager-" + UUID.randomUUID().toString().substring(0, 8);
        List<SubmitRequest> requests = IntStream.range(0, 5).mapToObj(i -> SubmitRequest.builder("page " + i, "noop")
                .owner(owner).runAt(Instant.now().plus(Duration.ofHours(1))).queue("default").timeoutSeconds(60)
                .build()).toList();

        List<Job> jobs = client.submitAll(requests);

        assertThat(jobs).extracting(Job::name).containsExactly("page 0", "page 1", "page 2", "page 3", "page 4");
        assertThat(jobs).extracting(Job::queue, Job::timeoutSeconds).containsOnly(tuple("default", 60));
        assertThat(jobs).extracting(Job::idempotencyKey).doesNotContainNull().doesNotHaveDuplicates();
        List<SubmitRequest> keyed = IntStream.range(0, 5)
                .mapToObj(i -> requests.get(i).withIdempotencyKey(jobs.get(i).idempotencyKey())).toList();
        assertThat(client.submitAll(keyed)).as("the same keyed batch again: the same jobs").isEqualTo(jobs);

        ListQuery query = ListQuery.all().owner(owner).status(JobStatus.QUEUED).limit(2);
        List<JobPage> pages = new ArrayList<>();
        for (JobPage page = client.list(query);; page = client.list(query.after(page))) {
            pages.add(page);
            if (!page.hasNext()) {
                break;
            }
        }
        assertThat(pages).extracting(p -> p.items().size()).containsExactly(2, 2, 1);
        assertThat(pages.stream().flatMap(p -> p.items().stream()).map(Job::id))
                .as("newest first, each once").containsExactlyElementsOf(jobs.reversed().stream().map(Job::id).toList());
        assertThat(client.list(ListQuery.all().owner(owner).status(JobStatus.RUNNING)).items()).isEmpty();

        List<Job> batch = client.submitBatch(requests, "batch-" + owner);
        assertThat(batch).extracting(Job::name).containsExactly("page 0", "page 1", "page 2", "page 3", "page 4");
        assertThat(client.submitBatch(requests, "batch-" + owner)).as("the same batch under its key: the same jobs")
                .isEqualTo(batch);
        List<SubmitRequest> broken = List.of(requests.get(0), SubmitRequest.builder("bad", "noop").owner(owner)
                .queue("no-such-queue").build());
        assertThatThrownBy(() -> client.submitBatch(broken, null)).isInstanceOfSatisfying(JobflowException.class,
                e -> assertThat(e.errors()).extracting(m -> m.get("field")).containsExactly("jobs[1].queue"));
        assertThat(client.list(ListQuery.all().owner(owner).limit(100)).items()).as("5 + 5, nothing of the refused batch")
                .hasSize(10);

        SubmitRequest unique = SubmitRequest.builder("unique", "noop").owner(owner)
                .runAt(Instant.now().plus(Duration.ofHours(1))).unique("report-" + owner).build();
        Job first = client.submit(unique);
        assertThat(first.uniqueKey()).isEqualTo("report-" + owner);
        assertThat(client.submit(unique).id()).as("a unique key held: the job that holds it").isEqualTo(first.id());
    }

    @Test
    void cancelAndTheProblemsOfRefusedCalls() throws Exception {
        Job later = client.submit(SubmitRequest.builder("later", "noop").owner("bob")
                .runAt(Instant.now().plus(Duration.ofHours(1))).build());
        assertThat(client.cancel(later.id()).status()).isEqualTo(JobStatus.CANCELLED);
        assertThat(client.get(later.id()).status()).isEqualTo(JobStatus.CANCELLED);

        // polling (no hub URL) to an end state, then a cancel the server refuses with 409
        try (JobflowClient polling = JobflowClient.builder().apiUrl(stack.apiUrl()).bearerToken(apiKey).build()) {
            Job noop = polling.submit(SubmitRequest.builder("quick", "noop").owner("bob").build());
            assertThat(polling.awaitCompletion(noop.id(), JOB_DONE).status()).isEqualTo(JobStatus.COMPLETED);
            JobflowException conflict = catchThrowableOfType(JobflowException.class, () -> polling.cancel(noop.id()));
            assertThat(conflict.status()).isEqualTo(409);
            assertThat(conflict.title()).isEqualTo("Job is not in a state for this");
            assertThat(conflict.extras()).containsEntry("jobStatus", "COMPLETED").containsKey("jobId");
        }

        JobflowException invalid = catchThrowableOfType(JobflowException.class,
                () -> client.submit(SubmitRequest.builder("bad", "Not A Type!").owner("bob").build()));
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.title()).isEqualTo("Invalid request");
        assertThat(invalid.detail()).isEqualTo("1 field(s) are invalid");
        assertThat(invalid.errors()).singleElement().satisfies(e -> assertThat(e).containsEntry("field", "type"));

        JobflowException missing = catchThrowableOfType(JobflowException.class, () -> client.get(Long.MAX_VALUE));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.extras()).containsEntry("jobId", Long.MAX_VALUE);

        try (JobflowClient stranger = JobflowClient.builder().apiUrl(stack.apiUrl()).apiKey("not-a-key").build()) {
            JobflowException unauthorized = catchThrowableOfType(JobflowException.class,
                    () -> stranger.submit(SubmitRequest.builder("x", "noop").owner("bob").idempotencyKey("k").build()));
            assertThat(unauthorized.status()).isEqualTo(401);
            assertThat(unauthorized.isTransportFailure()).isFalse();
        }
    }

    @Test
    void aSubscriptionResumesAcrossAHubRestartWithoutGapOrDuplicate() throws Exception {
        Job job = client.submit(SubmitRequest.builder("through a restart", "demo").owner("alice")
                .param("duration", 6).param("step", 0.25).build());
        Events events = new Events();
        try (ProgressSubscription subscription = client.subscribe(job.id(), events)) {
            until("some progress delivered", JOB_DONE,
                    () -> events.list().stream().filter(e -> e.status() == JobStatus.RUNNING).count() >= 2);

            stack.killHub(); // the job goes on and writes progress while no hub is there
            until("the subscription noticed", Duration.ofSeconds(10),
                    () -> subscription.state() == ProgressSubscription.State.CONNECTING);
            stack.restartHub();

            until("the end of the job delivered", JOB_DONE, () -> events.any(ProgressEvent::isTerminal));
            assertThat(subscription.connections()).as("reconnected").isGreaterThanOrEqualTo(2);
            assertThat(events.gaps).as("a complete resume").isEmpty();
            assertThat(events.list()).extracting(ProgressEvent::offset)
                    .as("each message of the room once, in order, across the restart")
                    .containsExactlyElementsOf(roomOffsets(job.id()));
            assertThat(subscription.lastOffset()).isEqualTo(events.list().getLast().offset());
        }
    }

    /** Every offset the progress log holds for the job's room, in order: what a complete subscription delivers. */
    private static List<Long> roomOffsets(long jobId) throws Exception {
        List<Long> offsets = new ArrayList<>();
        try (Connection c = stack.db().connect();
                PreparedStatement s = c.prepareStatement("select id from progress_log where room = ? order by id")) {
            s.setString(1, "job:" + jobId);
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    offsets.add(rows.getLong(1));
                }
            }
        }
        return offsets;
    }

    /** Collects what a subscription delivers. */
    static final class Events implements ProgressListener {
        final List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        final List<String> gaps = new CopyOnWriteArrayList<>();
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(ProgressEvent event) {
            events.add(event);
        }

        @Override
        public void onGap(String room) {
            gaps.add(room);
        }

        @Override
        public void onError(Throwable error) {
            errors.add(error);
        }

        List<ProgressEvent> list() {
            return List.copyOf(events);
        }

        boolean any(Predicate<ProgressEvent> condition) {
            return events.stream().anyMatch(condition);
        }
    }
}
