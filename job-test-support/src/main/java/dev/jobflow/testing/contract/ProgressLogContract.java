package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.model.StreamInfo;
import dev.jobflow.core.model.TailBatch;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.testing.Await;

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

    /**
     * Whether the backend tells a reader when messages commit ({@link ProgressLog#subscribeCommits}):
     * PostgreSQL does (LISTEN); Oracle does not, and its readers poll.
     */
    protected boolean tellsOfCommits() {
        return false;
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
    void aSubscribedReaderHearsOfEachCommitOfAnyWriterWhereTheBackendCanSaySo() throws Exception {
        Semaphore heard = new Semaphore(0);
        Optional<AutoCloseable> subscription = await(log().subscribeCommits(heard::release));
        assertThat(subscription.isPresent()).as("a subscription exactly where the backend tells of commits")
                .isEqualTo(tellsOfCommits());
        assumeTrue(tellsOfCommits(), "this backend cannot tell when messages commit: its readers poll");
        try (AutoCloseable listening = subscription.get()) {
            assertThat(heard.tryAcquire(10, TimeUnit.SECONDS)).as("heard once on subscribing").isTrue();
            try (Writer writer = openWriter()) {
                writer.publish(List.of("heard"), "{\"n\":1}");
                writer.rollback();
            }
            publish("heard", 2);
            assertThat(heard.tryAcquire(10, TimeUnit.SECONDS)).as("heard of the adapter's commit").isTrue();
            try (Writer writer = openWriter()) {
                writer.publish(List.of("heard", "heard-too"), "{\"n\":3}");
                writer.commit();
            }
            assertThat(heard.tryAcquire(10, TimeUnit.SECONDS)).as("heard of another session's commit").isTrue();
            // one call per committed transaction: none for the rolled-back write, one for two rooms
            assertThat(heard.availablePermits()).isZero();
        }
    }

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
        java.time.Instant readAt = java.time.Instant.now();
        Await.until("a new snapshot token", snapshotGranularity().plusSeconds(5),
                () -> !java.time.Instant.now().isBefore(readAt.plus(snapshotGranularity())));
        try (Writer later = openWriter()) {
            later.publish(List.of("r"), "{\"n\": 2}");
            assertThat(offsets(seen)).containsExactly(first);
            assertThat(await(log().writersAlive(seen.snapshot()))).isFalse();
        }
    }

    /**
     * The hub's HTTP send path ({@link ProgressLog#publish}) from several writers at once, followed
     * by a tailer that does what the hub's Tailer does: a hole below a visible offset is skipped only
     * once no writer of the read's snapshot is alive. Every published offset must be read (issue 16:
     * Oracle took offsets before its INSERT, so a tailer could find no live writer and skip for good).
     */
    @Test
    void aTailerNeverSkipsAMessageOfThePublishPath() {
        int writers = 3;
        int each = 40;
        List<Uni<List<Long>>> sends = new java.util.ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            Uni<List<Long>> chain = Uni.createFrom().item(new java.util.ArrayList<Long>());
            for (int i = 0; i < each; i++) {
                int n = i;
                chain = chain.flatMap(taken -> log().publish(List.of("w" + writer, "all"),
                        new JsonObject().put("w", writer).put("n", n)).map(offsets -> {
                            taken.addAll(offsets);
                            return taken;
                        }));
            }
            sends.add(chain);
        }
        java.util.concurrent.CompletableFuture<List<List<Long>>> publishing = Uni.join().all(sends).andFailFast()
                .subscribeAsCompletionStage();

        java.util.Set<Long> read = new java.util.HashSet<>();
        long[] cursor = { 0 };
        long[] settled = { 0 };
        TailBatch[] barrier = { null };
        Await.until("the tailer caught up with every publish", Duration.ofSeconds(60), () -> {
            if (barrier[0] != null && !await(log().writersAlive(barrier[0].snapshot()))) {
                List<LogEntry> seen = barrier[0].entries();
                settled[0] = Math.max(settled[0], seen.get(seen.size() - 1).offset());
                barrier[0] = null;
            }
            TailBatch batch = await(log().readTail(cursor[0], 1000));
            for (LogEntry entry : batch.entries()) {
                if (entry.offset() != cursor[0] + 1 && entry.offset() > settled[0]) {
                    if (barrier[0] == null) {
                        barrier[0] = batch; // a hole: final once no writer of this read is alive
                    }
                    break;
                }
                cursor[0] = entry.offset();
                read.add(entry.offset());
            }
            if (!publishing.isDone()) {
                return false;
            }
            long last = publishing.join().stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElse(0);
            return cursor[0] >= last;
        });
        List<Long> published = publishing.join().stream().flatMap(List::stream).toList();
        assertThat(published).hasSize(writers * each * 2);
        assertThat(read).as("offsets the tailer read").containsAll(published);
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
