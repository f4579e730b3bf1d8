package dev.jobflow.hub;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

import dev.jobflow.hub.testing.ResumingClient;
import dev.jobflow.hub.testing.Tokens;
import dev.jobflow.hub.ws.CloseCodes;
import dev.jobflow.testing.ServiceProcess;
import dev.jobflow.testing.TestDatabase;

/**
 * Two hub processes from the built jar, two concurrent producers, subscribers on both hubs. One hub
 * is SIGKILLed mid-stream: its clients resume on the other from their offsets, and every client ends
 * with exactly the room's full sequence, compared message by message with the database. Then the
 * survivor is sent SIGTERM: it drains, closing every connection with the reconnect code.
 */
class HubFailoverIT {
    private static final int PER_PRODUCER = 150;
    private static final int CLIENTS_PER_HUB = 3;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void clientsOfAKilledHubResumeOnTheOtherAndMissNothing() throws Exception {
        try (TestDatabase db = TestDatabase.create("hub_it")) {
            Map<String, String> env = Map.of(
                    "JOBFLOW_DB_URL", db.jdbcUrl(),
                    "JOBFLOW_DB_USER", db.user(),
                    "JOBFLOW_DB_PASSWORD", db.password(),
                    "JOBFLOW_MIGRATE_AT_START", "false",
                    "JOBFLOW_TOKEN_SECRET", Tokens.TEST_SECRET,
                    "JOBFLOW_HUB_DRAIN_PERIOD", "2s",
                    "JOBFLOW_HUB_SHUTDOWN_TIMEOUT", "4s");
            Path module = ServiceProcess.module("progress-hub");
            try (ServiceProcess a = ServiceProcess.start("hub-a", module, "JOBFLOW_HUB_PORT", env);
                    ServiceProcess b = ServiceProcess.start("hub-b", module, "JOBFLOW_HUB_PORT", env)) {
                a.awaitReady(WAIT);
                b.awaitReady(WAIT);
                String room = "job:4711";
                String token = Tokens.token("it", List.of(), List.of("job:"));
                List<String> hubs = List.of(a.baseUrl(), b.baseUrl());
                List<ResumingClient> onA = new ArrayList<>();
                List<ResumingClient> onB = new ArrayList<>();
                for (int i = 0; i < CLIENTS_PER_HUB; i++) {
                    onA.add(new ResumingClient(hubs, 0, token, room));
                    onB.add(new ResumingClient(hubs, 1, token, room));
                }
                List<ResumingClient> all = new ArrayList<>(onA);
                all.addAll(onB);
                await(() -> all.stream().allMatch(ResumingClient::subscribedOnce), "every client subscribed");

                ExecutorService producers = Executors.newFixedThreadPool(2);
                List<Future<?>> running = new ArrayList<>();
                for (int p = 0; p < 2; p++) {
                    int producer = p;
                    running.add(producers.submit(() -> produce(db, room, producer)));
                }
                // kill hub A once its clients have seen part of the stream
                await(() -> onA.stream().allMatch(c -> c.messages().size() >= 50), "hub A clients got 50 messages");
                a.kill();
                for (Future<?> f : running) {
                    f.get();
                }
                producers.shutdown();

                List<JsonObject> expected = roomLog(db, room);
                assertThat(expected).hasSize(2 * PER_PRODUCER);
                try {
                    await(() -> all.stream().allMatch(c -> c.messages().size() >= expected.size()),
                            "every client has the full sequence");
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + "; " + expected.size() + " in the log; per client: "
                            + all.stream().map(c -> describe(c, expected)).toList(), e);
                }
                for (ResumingClient client : all) {
                    List<JsonObject> got = client.messages();
                    assertThat(got).hasSize(expected.size());
                    for (int i = 0; i < expected.size(); i++) {
                        assertThat(got.get(i).getLong("offset")).as("message %d offset", i)
                                .isEqualTo(expected.get(i).getLong("offset"));
                        assertThat(got.get(i).getJsonObject("data")).as("message %d data", i)
                                .isEqualTo(expected.get(i).getJsonObject("data"));
                    }
                    assertThat(client.subscribedFrames()).allSatisfy(f -> assertThat(f.getBoolean("recovered")).isTrue());
                }
                assertThat(onA).allSatisfy(c -> assertThat(c.subscribedFrames()).hasSizeGreaterThanOrEqualTo(2));

                // drain: SIGTERM on the survivor closes every connection with "reconnect"
                all.forEach(ResumingClient::stopReconnecting);
                assertThat(b.terminate(Duration.ofSeconds(30))).isIn(0, 143);
                await(() -> all.stream().allMatch(c -> !c.closeCodes().isEmpty()
                        && c.closeCodes().get(c.closeCodes().size() - 1) == CloseCodes.DRAINING), "drained with 4503");
                all.forEach(ResumingClient::close);
            }
        }
    }

    /** What a client got, for a failure's message: counts, the first offsets it lacks, its frames and closes. */
    private static String describe(ResumingClient client, List<JsonObject> expected) {
        Set<Long> got = client.messages().stream().map(m -> m.getLong("offset")).collect(Collectors.toSet());
        List<Long> missing = expected.stream().map(m -> m.getLong("offset")).filter(o -> !got.contains(o)).limit(5)
                .toList();
        return client.messages().size() + " messages, missing " + missing + ", subscribed "
                + client.subscribedFrames().stream().map(f -> f.getLong("offset") + "/" + f.getBoolean("recovered"))
                        .toList()
                + ", closes " + client.closeCodes();
    }

    private static void produce(TestDatabase db, String room, int producer) {
        try (Connection c = db.connect();
                PreparedStatement s = c.prepareStatement("select progress_publish(?, ?::jsonb)")) {
            Array rooms = c.createArrayOf("text", new Object[] { room });
            for (int n = 1; n <= PER_PRODUCER; n++) {
                s.setArray(1, rooms);
                s.setString(2, new JsonObject().put("producer", producer).put("n", n).encode());
                s.executeQuery().close();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<JsonObject> roomLog(TestDatabase db, String room) throws Exception {
        List<JsonObject> entries = new ArrayList<>();
        try (Connection c = db.connect();
                PreparedStatement s = c
                        .prepareStatement("select id, payload::text from progress_log where room = ? order by id")) {
            s.setString(1, room);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    entries.add(new JsonObject().put("offset", rs.getLong(1)).put("data", new JsonObject(rs.getString(2))));
                }
            }
        }
        return entries;
    }

    private static void await(BooleanSupplier condition, String what) {
        until(what, WAIT, condition);
    }
}
