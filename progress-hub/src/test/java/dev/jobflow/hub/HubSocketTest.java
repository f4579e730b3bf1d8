package dev.jobflow.hub;

import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

import dev.jobflow.hub.testing.HubTestBase;
import dev.jobflow.hub.testing.Tokens;
import dev.jobflow.hub.testing.WsClient;
import dev.jobflow.testing.PostgresTestResource;

/** Subscribe, receive in order, latest first, resume, late commits: real sockets, real PostgreSQL. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
class HubSocketTest extends HubTestBase {

    @Inject
    MeterRegistry registry;

    private void awaitHoleOpen() throws InterruptedException {
        until("the tailer saw the hole", WAIT,
                () -> registry.get("jobflow.hub.tail.hole.wait.seconds").gauge().value() > 0);
    }

    private WsClient client(String room) {
        return WsClient.connect(baseUrl(), Tokens.token("alice", List.of(room), List.of()));
    }

    @Test
    void aSubscriberReceivesEveryMessageOfItsRoomInOrder() {
        String room = room("order-");
        String other = room("other-");
        try (WsClient client = client(room)) {
            client.awaitType("authenticated", null);
            client.subscribe(room).awaitType("subscribed", room);
            for (int n = 1; n <= 30; n++) {
                publish(room, n);
                publish(other, n);
            }
            List<JsonObject> messages = client.awaitMessages(room, 30, WAIT);
            assertThat(numbers(messages)).isEqualTo(IntStream.rangeClosed(1, 30).boxed().toList());
            assertThat(offsets(messages)).isSorted().doesNotHaveDuplicates();
            assertThat(messages).allSatisfy(m -> assertThat(m.getString("epoch")).isNotBlank());
            assertThat(client.messages(other)).isEmpty();
        }
    }

    @Test
    void aJobsEventIsOneRowDeliveredToItsThreeRoomsAndResumedInEach() throws Exception {
        String owner = "owner-" + UUID.randomUUID().toString().substring(0, 8);
        String mine = "user:" + owner;
        try (WsClient client = WsClient.connect(baseUrl(), Tokens.token(owner, List.of(mine, "jobs"), List.of("job:")))) {
            client.subscribe(mine).awaitType("subscribed", mine);
            client.subscribe("jobs").awaitType("subscribed", "jobs");
            long id = jobOf(owner);
            String jobRoom = "job:" + id;
            String epoch = client.awaitMessages(mine, 1, WAIT).get(0).getString("epoch");
            client.subscribe(jobRoom, 0, epoch).awaitType("subscribed", jobRoom);
            sql("update jobs set progress_pct = 40 where id = ?", id);

            // two rows (the insert, the progress), each in the three rooms under the same offsets
            List<JsonObject> inMine = client.awaitMessages(mine, 2, WAIT);
            List<JsonObject> inJob = client.awaitMessages(jobRoom, 2, WAIT);
            assertThat(offsets(inJob)).isEqualTo(offsets(inMine));
            assertThat(inJob).extracting(m -> m.getJsonObject("data").getInteger("pct")).containsExactly(0, 40);
            client.await(f -> "jobs".equals(f.getString("room")) && f.getLong("offset", 0L).equals(inMine.get(1)
                    .getLong("offset")), WAIT);
            assertThat(client.messages("jobs")).extracting(m -> m.getJsonObject("data").getLong("job_id")).contains(id);
            assertThat(queryLong("select count(*) from progress_log where (payload ->> 'job_id')::bigint = ?", id))
                    .as("progress_log rows of the job").isEqualTo(2);

            // a resume in the owner's room from before the job gets both from history
            try (WsClient again = WsClient.connect(baseUrl(), Tokens.token(owner, List.of(mine), List.of()))) {
                again.subscribe(mine, inMine.get(0).getLong("offset") - 1, inMine.get(0).getString("epoch"));
                assertThat(again.awaitType("subscribed", mine).getBoolean("recovered")).isTrue();
                assertThat(offsets(again.awaitMessages(mine, 2, WAIT))).isEqualTo(offsets(inMine));
            }
        }
    }

    @Test
    void aSubscribeCanAskForTheRoomsLatestMessageFirst() {
        String room = room("latest-");
        publish(room, 1);
        publish(room, 2);
        publish(room, 3);
        try (WsClient client = client(room)) {
            client.send(new JsonObject().put("type", "subscribe").put("room", room).put("latest", true));
            assertThat(numbers(client.awaitMessages(room, 1, WAIT))).containsExactly(3);
            publish(room, 4);
            assertThat(numbers(client.awaitMessages(room, 2, WAIT))).containsExactly(3, 4);
        }
    }

    @Test
    void aResumeFromAnOffsetGetsExactlyWhatWasMissed() {
        String room = room("resume-");
        JsonObject last;
        String epoch;
        try (WsClient first = client(room)) {
            first.subscribe(room);
            epoch = first.awaitType("subscribed", room).getString("epoch");
            for (int n = 1; n <= 5; n++) {
                publish(room, n);
            }
            List<JsonObject> seen = first.awaitMessages(room, 5, WAIT);
            last = seen.get(seen.size() - 1);
        }
        for (int n = 6; n <= 10; n++) {
            publish(room, n);
        }
        try (WsClient again = client(room)) {
            again.subscribe(room, last.getLong("offset"), epoch);
            JsonObject subscribed = again.awaitType("subscribed", room);
            assertThat(subscribed.getBoolean("recovered")).isTrue();
            assertThat(numbers(again.awaitMessages(room, 5, WAIT))).containsExactly(6, 7, 8, 9, 10);
            publish(room, 11);
            assertThat(numbers(again.awaitMessages(room, 6, WAIT))).containsExactly(6, 7, 8, 9, 10, 11);
        }
    }

    @Test
    void aResumeThatCannotBeCompleteSaysSoAndSendsTheLatest() {
        String room = room("lost-");
        long first = publish(room, 1);
        publish(room, 2);
        try (WsClient otherEpoch = client(room)) {
            otherEpoch.subscribe(room, first, "some-other-epoch");
            assertThat(otherEpoch.awaitType("subscribed", room).getBoolean("recovered")).isFalse();
            assertThat(numbers(otherEpoch.awaitMessages(room, 1, WAIT))).containsExactly(2);
        }
        try (WsClient future = client(room)) {
            future.subscribe(room, first + 1_000_000, null);
            assertThat(future.awaitType("subscribed", room).getBoolean("recovered")).isFalse();
        }
    }

    @Test
    void aResumeFromBelowTheRetentionFloorIsNotRecovered() {
        String room = room("trimmed-");
        long first = publish(room, 1);
        publish(room, 2);
        log.trim(java.time.Duration.ZERO, 1_000_000).await().atMost(WAIT);
        publish(room, 3);
        try (WsClient client = client(room)) {
            client.subscribe(room, first, null);
            assertThat(client.awaitType("subscribed", room).getBoolean("recovered")).isFalse();
            assertThat(numbers(client.awaitMessages(room, 1, WAIT))).containsExactly(3);
        }
    }

    @Test
    void aMessageWhoseTransactionCommitsLateIsDeliveredInOffsetOrder() throws Exception {
        String room = room("late-");
        try (WsClient a = client(room);
                WsClient b = client(room);
                Connection slow = connect();
                Connection fast = connect()) {
            a.subscribe(room).awaitType("subscribed", room);
            b.subscribe(room).awaitType("subscribed", room);
            slow.setAutoCommit(false);
            fast.setAutoCommit(false);
            long low = publishIn(slow, room, 1).get(0);
            long high = publishIn(fast, room, 2).get(0);
            fast.commit();
            assertThat(high).isGreaterThan(low);
            // the tailer has read the higher offset and holds it behind the open hole
            awaitHoleOpen();
            assertThat(a.messages(room)).isEmpty();
            slow.commit();
            assertThat(offsets(a.awaitMessages(room, 2, WAIT))).containsExactly(low, high);
            assertThat(offsets(b.awaitMessages(room, 2, WAIT))).containsExactly(low, high);
        }
    }

    @Test
    void aRolledBackOffsetIsSkippedOnceItsWriterEnds() throws Exception {
        String room = room("rollback-");
        try (WsClient a = client(room); Connection doomed = connect()) {
            a.subscribe(room).awaitType("subscribed", room);
            doomed.setAutoCommit(false);
            publishIn(doomed, room, 1);
            long high = publish(room, 2);
            awaitHoleOpen();
            assertThat(a.messages(room)).isEmpty();
            doomed.rollback();
            assertThat(offsets(a.awaitMessages(room, 1, WAIT))).containsExactly(high);
        }
    }

    @Test
    void theBrowserClientAndTheConnectionMetricAreServed() {
        try (WsClient client = client(room("metric-"))) {
            client.awaitType("authenticated", null);
            io.restassured.RestAssured.given().get("/client/jobflow.js").then().statusCode(200)
                    .contentType(org.hamcrest.Matchers.containsString("javascript"))
                    .body(org.hamcrest.Matchers.containsString("export function connect"));
            io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                    .body(org.hamcrest.Matchers.containsString("jobflow_hub_connections"));
        }
    }

    @Test
    void unsubscribeStopsTheRoom() {
        String room = room("unsub-");
        try (WsClient client = client(room)) {
            client.subscribe(room).awaitType("subscribed", room);
            publish(room, 1);
            client.awaitMessages(room, 1, WAIT);
            client.send(new JsonObject().put("type", "unsubscribe").put("room", room)).awaitType("unsubscribed", room);
            publish(room, 2);
            String marker = room;
            // a second subscriber proves message 2 was fanned out; the first must not have it
            try (WsClient witness = client(marker)) {
                witness.subscribe(marker, 0, null);
                witness.awaitMessages(marker, 2, WAIT);
            }
            assertThat(numbers(client.messages(room))).containsExactly(1);
        }
    }
}
