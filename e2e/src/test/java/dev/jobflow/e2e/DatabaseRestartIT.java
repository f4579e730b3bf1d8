package dev.jobflow.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.jobflow.client.JobStatus;
import dev.jobflow.client.JobflowClient;
import dev.jobflow.client.ProgressEvent;
import dev.jobflow.client.ProgressListener;
import dev.jobflow.client.ProgressSubscription;
import dev.jobflow.client.SubmitRequest;
import dev.jobflow.testing.Await;
import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.ServiceStack;
import dev.jobflow.testing.TestDatabase;

/**
 * The database goes away for a few seconds while jobs run on all three services (issue 19): every
 * server connection of the test database is ended and new ones are refused (as a restart does to the
 * services), then allowed again. All three services notice (readiness DOWN), recover by themselves
 * (readiness UP) within seconds, no accepted job is lost, none completes twice, and hub subscribers
 * get every message of their rooms, in order, without a gap. The recovery time is printed (and kept
 * in docs/operations.md).
 */
class DatabaseRestartIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** How long the database stays away once every service noticed. */
    private static final Duration OUTAGE = Duration.ofSeconds(4);
    /** The recovery the issue asks for: within seconds. */
    private static final Duration RECOVERY = Duration.ofSeconds(20);

    private static ServiceStack stack;
    private static JobflowClient client;
    private static String key;

    @BeforeAll
    static void start() throws Exception {
        // as every replica runs in Kubernetes: not migrating, so readiness is the store's own check
        stack = ServiceStack.start("db-restart", Map.of("JOBFLOW_DISPATCHER_SLOTS", "3", "JOBFLOW_MIGRATE_AT_START",
                "false"));
        key = stack.db().createJobApiKey("restart");
        client = JobflowClient.builder().apiUrl(stack.api().baseUrl()).hubUrl(stack.hub().baseUrl()).apiKey(key)
                .hubUser("alice").retries(0, Duration.ofMillis(100)).reconnectBackoff(Duration.ofMillis(100),
                        Duration.ofSeconds(1))
                .build();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (client != null) {
            client.close();
        }
        if (stack != null) {
            stack.close();
        }
    }

    /** What one subscriber received of its job's room. */
    private record Watch(long jobId, List<ProgressEvent> events, AtomicInteger gaps, ProgressSubscription subscription) {
    }

    @Test
    void allThreeServicesRideOutADatabaseRestartWithoutLosingOrRepeatingAJob() throws Exception {
        List<Long> accepted = new ArrayList<>();
        Map<Long, Watch> watches = new ConcurrentHashMap<>();
        for (int i = 0; i < 6; i++) {
            long id = submit("before-" + i);
            accepted.add(id);
            watches.put(id, watch(id));
        }
        Await.until("jobs running on the dispatcher", Duration.ofSeconds(60),
                () -> accepted.stream().filter(id -> client.get(id).status() == JobStatus.RUNNING).count() >= 2);

        // The outage: every connection of the test database ended, new ones refused.
        long outageStart = System.nanoTime();
        TestDatabase.refuseConnections(stack.db().name());
        List<Long> refusedDuring = new ArrayList<>();
        try {
            for (ServiceProcess service : services()) {
                Await.until(service + " reports not ready", Duration.ofSeconds(30), () -> !ready(service));
            }
            // Submits during the outage: each is accepted (then it must run) or refused with a problem, never lost.
            int submitted = 0;
            while (System.nanoTime() - outageStart < OUTAGE.toNanos() || submitted < 2) {
                submitted++;
                try {
                    accepted.add(submit("during-" + submitted));
                } catch (dev.jobflow.client.JobflowException e) {
                    assertThat(e.status()).as("a refused submit during the outage: " + e).isEqualTo(503);
                    refusedDuring.add((long) submitted);
                }
            }
        } finally {
            TestDatabase.acceptConnections(stack.db().name());
        }
        long back = System.nanoTime();
        Map<String, Double> recovery = new java.util.TreeMap<>();
        for (ServiceProcess service : services()) {
            Await.until(service + " ready again", RECOVERY, () -> ready(service));
            recovery.put(service.toString(), (System.nanoTime() - back) / 1e9);
        }
        System.out.printf("DatabaseRestartIT: outage %.1f s; ready again after the database came back: %s; "
                + "%d submit(s) refused during the outage%n", (back - outageStart) / 1e9, recovery, refusedDuring.size());
        assertThat(refusedDuring).as("job-api refuses submits while the database is away").isNotEmpty();

        for (int i = 0; i < 3; i++) {
            long id = submit("after-" + i);
            accepted.add(id);
            watches.put(id, watch(id));
        }

        // No accepted job lost, none completed twice.
        for (long id : accepted) {
            Await.until("job " + id + " completed", Duration.ofSeconds(120),
                    () -> client.get(id).status() == JobStatus.COMPLETED);
        }
        for (long id : accepted) {
            JsonNode runs = getJson(stack.api().baseUrl() + "/api/v1/jobs/" + id + "/runs").path("items");
            long completed = 0;
            for (JsonNode run : runs) {
                completed += "COMPLETED".equals(run.path("outcome").asText()) ? 1 : 0;
            }
            assertThat(completed).as("completed runs of job " + id + ": " + runs).isEqualTo(1);
        }

        // Subscribers: every message of their room, in order, no gap.
        for (Watch watch : watches.values()) {
            Await.until("job " + watch.jobId() + "'s end reaches its subscriber", Duration.ofSeconds(30),
                    () -> watch.events().stream().anyMatch(ProgressEvent::isTerminal));
            watch.subscription().close();
            Watch fresh = watch(watch.jobId());
            Await.until("job " + watch.jobId() + "'s history replayed", Duration.ofSeconds(30),
                    () -> fresh.events().stream().anyMatch(ProgressEvent::isTerminal));
            fresh.subscription().close();
            assertThat(watch.gaps().get()).as("gaps reported to job " + watch.jobId() + "'s subscriber").isZero();
            assertThat(offsets(watch.events())).as("what job " + watch.jobId() + "'s subscriber got, against the "
                    + "room's history").isEqualTo(offsets(fresh.events()));
        }
    }

    private static List<Long> offsets(List<ProgressEvent> events) {
        return events.stream().map(ProgressEvent::offset).toList();
    }

    private static long submit(String name) {
        return client.submit(SubmitRequest.builder(name, "demo").owner("alice").param("duration", 6).param("step", 0.5)
                .build()).id();
    }

    private static Watch watch(long id) {
        List<ProgressEvent> events = new CopyOnWriteArrayList<>();
        AtomicInteger gaps = new AtomicInteger();
        ProgressSubscription subscription = client.subscribe(id, new ProgressListener() {
            @Override
            public void onEvent(ProgressEvent event) {
                events.add(event);
            }

            @Override
            public void onGap(String room) {
                gaps.incrementAndGet();
            }
        });
        return new Watch(id, events, gaps, subscription);
    }

    private static List<ServiceProcess> services() {
        return List.of(stack.api(), stack.dispatcher(), stack.hub());
    }

    private static boolean ready(ServiceProcess service) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception e) {
            return false;
        }
    }

    private static JsonNode getJson(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(url + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
