package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.StreamInfo;
import dev.jobflow.core.model.TailBatch;
import dev.jobflow.core.store.ProgressLog;

/**
 * The contract every progress log adapter must meet (invariants 11 and 12 of the design brief): the
 * hub's tailer relies on exactly this. A backend's test extends it in a few lines, supplying the log
 * on an empty migrated database, a way to hold a writer's transaction open and to manage API keys.
 */
public abstract class ProgressLogContract {

    protected abstract ProgressLog log();

    /** A writer whose transaction stays open until {@link Writer#commit()} or {@link Writer#rollback()}. */
    protected abstract Writer openWriter() throws Exception;

    /**
     * Commits a message to the room whose payload the readers cannot decode as a JSON object, past
     * the checks (as a row written before V012): the backend drops or disables its check first.
     */
    protected abstract void publishUnreadablePayload(String room) throws Exception;

    /**
     * How coarse a read's snapshot token is: a writer that begins within this time after a read may
     * still count as older than it (never too few writers). PostgreSQL: exact; Oracle: one second.
     */
    protected Duration snapshotGranularity() {
        return Duration.ZERO;
    }

    public interface Writer extends AutoCloseable {
        /** Publishes inside the open transaction; returns the offsets taken. */
        List<Long> publish(List<String> rooms, String json) throws Exception;

        void commit() throws Exception;

        void rollback() throws Exception;
    }

    /** A writer on a JDBC session whose transaction stays open; a backend supplies the publish. */
    public abstract static class JdbcWriter implements Writer {
        protected final Connection connection;

        protected JdbcWriter(Connection connection) throws SQLException {
            this.connection = connection;
            connection.setAutoCommit(false);
        }

        @Override
        public void commit() throws SQLException {
            connection.commit();
        }

        @Override
        public void rollback() throws SQLException {
            connection.rollback();
        }

        @Override
        public void close() throws SQLException {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        }
    }

    private long publish(String room, int n) {
        return await(log().publish(List.of(room), new JsonObject().put("n", n))).get(0);
    }

    private static List<Long> offsets(TailBatch batch) {
        return batch.entries().stream().map(LogEntry::offset).toList();
    }

    /** JSON the readers cannot decode as an object: lax Oracle JSON, bare scalars, an array. */
    protected static final List<String> NOT_A_JSON_OBJECT = List.of("{a: 1}", "{'a':1}", "1", "\"x\"", "[1]");

    @Test
    void aPayloadThatIsNotAStrictJsonObjectIsRefusedAndWritesNothing() throws Exception {
        for (String payload : NOT_A_JSON_OBJECT) {
            try (Writer writer = openWriter()) {
                assertThatThrownBy(() -> writer.publish(List.of("bad"), payload)).as(payload).isInstanceOf(Exception.class);
            }
        }
        assertThat(await(log().roomHistory("bad", 0, 10))).isEmpty();
    }

    @Test
    void aMessageThatCannotBeDecodedIsSkippedAndDoesNotStopTheReaders() throws Exception {
        long before = publish("a", 1);
        publishUnreadablePayload("a");
        long after = publish("a", 2);

        TailBatch batch = await(log().readTail(0, 100));
        assertThat(offsets(batch)).containsExactly(before, after);
        assertThat(await(log().roomHistory("a", 0, 10))).extracting(e -> e.payload().getInteger("n")).containsExactly(1, 2);
        assertThat(await(log().readAfter(0, 10))).extracting(LogEntry::offset).containsExactly(before, after);
        assertThat(after).as("the unreadable message took an offset between them").isGreaterThan(before + 1);
    }

    @Test
    void theTailReadsEveryRoomInOffsetOrderWithItsSnapshot() {
        List<Long> first = await(log().publish(List.of("a", "b"), new JsonObject().put("n", 1)));
        long second = publish("a", 2);

        TailBatch batch = await(log().readTail(0, 100));
        assertThat(offsets(batch)).containsExactly(first.get(0), first.get(1), second);
        assertThat(batch.entries()).extracting(LogEntry::room).containsExactly("a", "b", "a");
        assertThat(batch.snapshot()).isNotBlank();
        assertThat(await(log().readTail(second, 100)).entries()).isEmpty();
        assertThat(await(log().readTail(second, 100)).snapshot()).isNotBlank();
        assertThat(await(log().readTail(0, 2)).entries()).hasSize(2);
    }

    @Test
    void aHoleBelowAVisibleOffsetStaysOpenWhileItsWriterLivesAndFillsWhenItCommits() throws Exception {
        try (Writer slow = openWriter(); Writer fast = openWriter()) {
            long low = slow.publish(List.of("r"), "{\"n\": 1}").get(0);
            long high = fast.publish(List.of("r"), "{\"n\": 2}").get(0);
            fast.commit();
            assertThat(high).isGreaterThan(low);

            TailBatch seen = await(log().readTail(low - 1, 100));
            assertThat(offsets(seen)).containsExactly(high);
            assertThat(await(log().writersAlive(seen.snapshot()))).isTrue();

            slow.commit();
            assertThat(await(log().writersAlive(seen.snapshot()))).isFalse();
            assertThat(offsets(await(log().readTail(low - 1, 100)))).containsExactly(low, high);
        }
    }

    @Test
    void aHoleOfARolledBackWriterIsKnownFinalOnceItsWriterEnds() throws Exception {
        try (Writer doomed = openWriter()) {
            long low = doomed.publish(List.of("r"), "{\"n\": 1}").get(0);
            long high = publish("r", 2);
            TailBatch seen = await(log().readTail(low - 1, 100));
            assertThat(offsets(seen)).containsExactly(high);
            assertThat(await(log().writersAlive(seen.snapshot()))).isTrue();

            doomed.rollback();
            assertThat(await(log().writersAlive(seen.snapshot()))).isFalse();
            assertThat(offsets(await(log().readTail(low - 1, 100)))).containsExactly(high);
        }
    }

    @Test
    void aWriterThatStartedAfterTheSnapshotDoesNotHoldItsHolesOpen() throws Exception {
        long first = publish("r", 1);
        TailBatch seen = await(log().readTail(0, 100));
        Thread.sleep(snapshotGranularity().toMillis());
        try (Writer later = openWriter()) {
            later.publish(List.of("r"), "{\"n\": 2}");
            assertThat(offsets(seen)).containsExactly(first);
            assertThat(await(log().writersAlive(seen.snapshot()))).isFalse();
        }
    }

    @Test
    void aRoomsLatestAndHistoryAreItsOwn() {
        long a1 = publish("a", 1);
        publish("b", 2);
        long a3 = publish("a", 3);
        assertThat(await(log().latest("a"))).map(LogEntry::offset).contains(a3);
        assertThat(await(log().latest("nobody"))).isEmpty();
        assertThat(await(log().roomHistory("a", a1, 10))).extracting(LogEntry::offset).containsExactly(a3);
        assertThat(await(log().roomHistory("a", 0, 10))).extracting(e -> e.payload().getInteger("n")).containsExactly(1,
                3);
    }

    @Test
    void retentionKeepsTheNewestAndRaisesTheFloorItReports() {
        for (int i = 1; i <= 10; i++) {
            publish("r", i);
        }
        StreamInfo before = await(log().streamInfo());
        assertThat(before.retainedFrom()).isZero();
        assertThat(before.epoch()).isNotBlank();

        assertThat(await(log().trim(Duration.ofDays(1), 4))).isEqualTo(6);
        List<LogEntry> kept = await(log().roomHistory("r", 0, 100));
        assertThat(kept).extracting(e -> e.payload().getInteger("n")).containsExactly(7, 8, 9, 10);
        StreamInfo after = await(log().streamInfo());
        assertThat(after.retainedFrom()).isEqualTo(kept.get(0).offset());
        assertThat(after.head()).isEqualTo(kept.get(3).offset());

        assertThat(await(log().trim(Duration.ZERO, 100))).isEqualTo(4);
        assertThat(await(log().streamInfo()).retainedFrom()).isGreaterThan(after.head());
        assertThat(await(log().trim(Duration.ZERO, 100))).isZero();
    }
}
