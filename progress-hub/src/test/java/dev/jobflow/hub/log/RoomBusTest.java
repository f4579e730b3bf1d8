package dev.jobflow.hub.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.LogEntry;

class RoomBusTest {

    @Test
    void aSubscriberThatThrowsHoldsBackNeitherTheRoomNorTheCursor() {
        RoomBus bus = new RoomBus();
        bus.start(0, "e");
        List<Long> received = new ArrayList<>();
        bus.subscribe("r", (entry, frame) -> {
            throw new IllegalStateException("the connection is gone");
        });
        bus.subscribe("r", (entry, frame) -> received.add(entry.offset()));
        for (long offset = 1; offset <= 3; offset++) {
            bus.advance(List.of(entry(offset, "r")));
        }
        assertThat(received).containsExactly(1L, 2L, 3L);
        assertThat(bus.cursor()).isEqualTo(3);
    }

    @Test
    void aBatchReachesEachSubscriberInARowInEachRoomsOrderAndMovesTheCursorToItsEnd() {
        List<String> received = new ArrayList<>();
        RoomBus bus = twoSubscribersOfRoomA(received);
        bus.subscribe("b", (entry, frame) -> received.add("b:" + entry.offset()));
        int[] subscriptions = bus.advance(List.of(entry(1, "a"), entry(2, "b"), entry(3, "a"), entry(4, "nobody")));
        // a subscriber's frames of the batch in a row (one flush per socket), each room in offset order
        assertThat(received).containsExactly("first:1", "first:3", "second:1", "second:3", "b:2");
        assertThat(subscriptions).containsExactly(2, 1, 2, 0);
        assertThat(bus.cursor()).isEqualTo(4);
    }

    /** A started bus whose room "a" has two subscribers, recording "first:offset" and "second:offset". */
    private static RoomBus twoSubscribersOfRoomA(List<String> received) {
        RoomBus bus = new RoomBus();
        bus.start(0, "e");
        bus.subscribe("a", (entry, frame) -> received.add("first:" + entry.offset()));
        bus.subscribe("a", (entry, frame) -> received.add("second:" + entry.offset()));
        return bus;
    }

    private static LogEntry entry(long offset, String room) {
        return new LogEntry(offset, room, new JsonObject().put("n", offset), Instant.now());
    }

    @Test
    void aLongReadGoesInRunsSoTheLastSubscriberDoesNotWaitForTheFirstToGetAllOfIt() {
        List<String> received = new ArrayList<>();
        RoomBus bus = twoSubscribersOfRoomA(received);
        List<LogEntry> read = new ArrayList<>();
        for (long offset = 1; offset <= 2 * RoomBus.RUN; offset++) {
            read.add(entry(offset, "a"));
        }
        bus.advance(read);
        // the second subscriber gets the first run before the first subscriber gets the second
        assertThat(received.indexOf("second:" + RoomBus.RUN)).isLessThan(received.indexOf("first:" + (RoomBus.RUN + 1)));
        assertThat(received.stream().filter(r -> r.startsWith("second:")).map(r -> Long.parseLong(r.substring(7))))
                .isSorted().hasSize(2 * RoomBus.RUN);
        assertThat(bus.cursor()).isEqualTo(2 * RoomBus.RUN);
    }
}
