package dev.jobflow.oracle.contract;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Testcontainers;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.oracle.testing.OracleStoreFixture;
import dev.jobflow.testing.contract.ProgressLogContract;

/**
 * The progress log contract on Oracle Free (Testcontainers), a fresh schema per test, plus Oracle's
 * database-side send (autonomous). Without Docker the whole class is skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class OracleProgressLogContractTest extends ProgressLogContract {
    private OracleStoreFixture oracle;

    @BeforeEach
    void start() {
        oracle = new OracleStoreFixture("progress");
    }

    @AfterEach
    void stop() throws Exception {
        oracle.close();
    }

    @Override
    protected ProgressLog log() {
        return oracle.log;
    }

    /** writers_alive compares v$transaction.start_date with the read's time in whole seconds. */
    @Override
    protected Duration snapshotGranularity() {
        return Duration.ofMillis(1100);
    }

    @Override
    protected Writer openWriter() throws Exception {
        return new OracleWriter(oracle.schema.connect());
    }

    @Test
    void theDatabaseSideSendIsVisibleWhileTheCallersTransactionIsStillOpen() throws Exception {
        try (Connection job = oracle.schema.connect()) {
            job.setAutoCommit(false);
            try (CallableStatement send = job.prepareCall("begin jobflow_api.send(sys.odcivarchar2list(?, ?), ?); end;")) {
                send.setString(1, "job:7");
                send.setString(2, "user:alice");
                send.setString(3, "{\"pct\": 40}");
                send.execute();
            }
            // the job's transaction is still open, and the message is already readable by everyone
            assertThat(await(oracle.log.roomHistory("job:7", 0, 10))).extracting(e -> e.payload().getInteger("pct"))
                    .containsExactly(40);
            assertThat(await(oracle.log.roomHistory("user:alice", 0, 10))).hasSize(1);
            try (CallableStatement send = job.prepareCall("begin jobflow_api.send(?, ?); end;")) {
                send.setString(1, "job:7");
                send.setString(2, "{\"pct\": 50}");
                send.execute();
            }
            job.rollback();
        }
        assertThat(await(oracle.log.roomHistory("job:7", 0, 10))).extracting(LogEntry::payload)
                .extracting(p -> p.getInteger("pct")).containsExactly(40, 50);
    }

    @Test
    void theSeedShapedSendTakesACommaSeparatedRoomList() throws Exception {
        try (Connection c = oracle.schema.connect();
                CallableStatement s = c.prepareCall("begin progress_send(?, ?); end;")) {
            s.setString(1, " job:8 , jobs,");
            s.setString(2, "{\"pct\": 5}");
            s.execute();
        }
        assertThat(await(oracle.log.latest("jobs"))).map(e -> e.payload().getInteger("pct")).contains(5);
        assertThat(await(oracle.log.latest("job:8"))).isPresent();
    }

    /** Writes as jobflow_api.publish does (one row per room, the caller's transaction), returning the offsets. */
    static final class OracleWriter extends JdbcWriter {
        OracleWriter(Connection connection) throws SQLException {
            super(connection);
        }

        @Override
        public List<Long> publish(List<String> rooms, String json) throws SQLException {
            List<Long> offsets = new ArrayList<>();
            try (CallableStatement insert = connection.prepareCall(
                    "begin insert into progress_log (room, payload) values (?, ?) returning id into ?; end;")) {
                for (String room : rooms) {
                    insert.setString(1, room);
                    insert.setString(2, json);
                    insert.registerOutParameter(3, Types.NUMERIC);
                    insert.execute();
                    offsets.add(insert.getLong(3));
                }
            }
            return offsets;
        }
    }

    @Override
    protected void publishUnreadablePayload(String room) {
        oracle.schema.update("alter table progress_log disable constraint progress_log_payload_object_ck");
        oracle.schema.update("insert into progress_log (room, payload) values (?, '{a: 1}')", room);
    }
}
