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
            bus.advance(new LogEntry(offset, "r", new JsonObject().put("n", offset), Instant.now()));
        }
        assertThat(received).containsExactly(1L, 2L, 3L);
        assertThat(bus.cursor()).isEqualTo(3);
    }
}
