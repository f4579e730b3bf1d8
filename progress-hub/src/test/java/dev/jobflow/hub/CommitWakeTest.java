package dev.jobflow.hub;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;

import dev.jobflow.hub.testing.HubTestBase;
import dev.jobflow.hub.testing.Tokens;
import dev.jobflow.hub.testing.WsClient;
import dev.jobflow.testing.PostgresTestResource;

/**
 * On PostgreSQL the tailer reads the log when any writer commits (V025's notifications), not at its
 * next poll: here it polls an hour apart, so only a notification can bring a message in time, be it
 * a message another session sent or a job's event.
 */
@QuarkusTest
@TestProfile(CommitWakeTest.HourlyPolls.class)
@WithTestResource(PostgresTestResource.class)
class CommitWakeTest extends HubTestBase {

    public static class HourlyPolls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jobflow.hub.tail.poll-min", "1h", "jobflow.hub.tail.poll-max", "1h");
        }
    }

    @Test
    void messagesCommittedByAnotherSessionArriveWithoutWaitingForAPoll() throws Exception {
        String room = room("wake-");
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token("waker", List.of(room), List.of()))) {
            client.subscribe(room).awaitType("subscribed", room);
            for (int n = 1; n <= 3; n++) {
                try (Connection tx = connect()) {
                    tx.setAutoCommit(false);
                    publishIn(tx, room, n);
                    tx.commit();
                }
                List<JsonObject> received = client.awaitMessages(room, n, WAIT);
                assertThat(received).extracting(m -> m.getJsonObject("data").getInteger("n")).endsWith(n);
            }
        }
    }

    @Test
    void aJobsEventsArriveWithoutWaitingForAPoll() throws Exception {
        String owner = "waker-" + room("");
        String mine = "user:" + owner;
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token(owner, List.of(mine), List.of()))) {
            client.subscribe(mine).awaitType("subscribed", mine);
            long id = jobOf(owner);
            assertThat(client.awaitMessages(mine, 1, WAIT)).extracting(m -> m.getJsonObject("data").getString("status"))
                    .containsExactly("QUEUED");
            sql("update jobs set progress_pct = 40 where id = ?", id);
            assertThat(client.awaitMessages(mine, 2, WAIT)).extracting(m -> m.getJsonObject("data").getInteger("pct"))
                    .containsExactly(0, 40);
        }
    }
}
