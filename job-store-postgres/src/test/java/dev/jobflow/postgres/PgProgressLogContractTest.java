package dev.jobflow.postgres;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.testing.contract.ProgressLogContract;

/** The progress log contract on a real PostgreSQL server, plus the PostgreSQL database-side send. */
class PgProgressLogContractTest extends ProgressLogContract {
    private PgStoreFixture pg;

    @BeforeEach
    void start() {
        pg = PgStoreFixture.open("progress");
    }

    @AfterEach
    void stop() {
        pg.close();
    }

    @Override
    protected ProgressLog log() {
        return pg.progressLog();
    }

    @Override
    protected boolean tellsOfCommits() {
        return true;
    }

    @Override
    protected Writer openWriter() throws Exception {
        return new PgWriter(pg.db().connect(), "select progress_publish(?, ?::jsonb)");
    }

    @Test
    void theDatabaseSideSendIsVisibleWhileTheCallersTransactionIsStillOpen() throws Exception {
        try (PgWriter job = new PgWriter(pg.db().connect(), "select progress_send(?, ?::jsonb)")) {
            List<Long> offsets = job.publish(List.of("job:7", "user:alice"), "{\"pct\": 40}");
            assertThat(offsets).hasSize(2);
            // the job's transaction is still open, and the message is already readable by everyone
            assertThat(await(pg.progressLog().roomHistory("job:7", 0, 10))).extracting(LogEntry::offset)
                    .containsExactly(offsets.get(0));
            job.publish(List.of("job:7"), "{\"pct\": 50}");
            job.rollback();
            assertThat(await(pg.progressLog().roomHistory("job:7", 0, 10))).extracting(e -> e.payload().getInteger("pct"))
                    .containsExactly(40, 50);
        }
    }

    @Test
    void theSeedShapedSendTakesACommaSeparatedRoomList() throws Exception {
        try (Connection c = pg.db().connect();
                PreparedStatement s = c.prepareStatement("select progress_send(?, ?)")) {
            s.setString(1, " job:8 , jobs,");
            s.setString(2, "{\"pct\": 5}");
            try (ResultSet rs = s.executeQuery()) {
                int n = 0;
                while (rs.next()) {
                    n++;
                }
                assertThat(n).isEqualTo(2);
            }
        }
        assertThat(await(pg.progressLog().latest("jobs"))).map(e -> e.payload().getInteger("pct")).contains(5);
    }

    /** Publishes with progress_publish (or progress_send) in the held transaction. */
    static final class PgWriter extends JdbcWriter {
        private final String sql;

        PgWriter(Connection connection, String sql) throws SQLException {
            super(connection);
            this.sql = sql;
        }

        @Override
        public List<Long> publish(List<String> rooms, String json) throws SQLException {
            Array array = connection.createArrayOf("text", rooms.toArray());
            try (PreparedStatement s = connection.prepareStatement(sql)) {
                s.setArray(1, array);
                s.setString(2, json);
                List<Long> offsets = new ArrayList<>();
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        offsets.add(rs.getLong(1));
                    }
                }
                return offsets;
            }
        }
    }

    @Override
    protected void publishUnreadablePayload(String room) {
        pg.db().update("alter table progress_log drop constraint progress_log_payload_object_ck");
        pg.db().update("insert into progress_log (room, payload) values (?, '1'::jsonb)", room);
    }
}
