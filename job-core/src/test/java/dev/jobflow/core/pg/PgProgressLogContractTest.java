package dev.jobflow.core.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.contract.ProgressLogContract;
import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.testing.TestDatabase;

/** The progress log contract on a real PostgreSQL server, plus the PostgreSQL database-side send. */
class PgProgressLogContractTest extends ProgressLogContract {
    private TestDatabase db;
    private Vertx vertx;
    private Pool pool;
    private PgProgressLog log;

    @BeforeEach
    void start() {
        db = TestDatabase.create("progress");
        vertx = Vertx.vertx();
        pool = PgDatabase.pool(vertx, PgDatabase.connectOptions(db.jdbcUrl(), db.user(), db.password()), 4);
        log = new PgProgressLog(pool);
    }

    @AfterEach
    void stop() {
        pool.closeAndAwait();
        vertx.closeAndAwait();
        db.close();
    }

    @Override
    protected ProgressLog log() {
        return log;
    }

    @Override
    protected Writer openWriter() throws Exception {
        return new JdbcWriter(db.connect(), "select progress_publish(?, ?::jsonb)");
    }

    @Override
    protected void addApiKey(String name, String sha256) {
        db.update("insert into progress_api_keys (name, key_sha256) values (?, ?)", name, sha256);
    }

    @Override
    protected void revokeApiKey(String name) {
        db.update("update progress_api_keys set revoked_at = now() where name = ?", name);
    }

    @Test
    void theDatabaseSideSendIsVisibleWhileTheCallersTransactionIsStillOpen() throws Exception {
        try (JdbcWriter job = new JdbcWriter(db.connect(), "select progress_send(?, ?::jsonb)")) {
            List<Long> offsets = job.publish(List.of("job:7", "user:alice"), "{\"pct\": 40}");
            assertThat(offsets).hasSize(2);
            // the job's transaction is still open, and the message is already readable by everyone
            assertThat(await(log.roomHistory("job:7", 0, 10))).extracting(LogEntry::offset).containsExactly(offsets.get(0));
            job.publish(List.of("job:7"), "{\"pct\": 50}");
            job.rollback();
            assertThat(await(log.roomHistory("job:7", 0, 10))).extracting(e -> e.payload().getInteger("pct"))
                    .containsExactly(40, 50);
        }
    }

    @Test
    void theSeedShapedSendTakesACommaSeparatedRoomList() throws Exception {
        try (Connection c = db.connect();
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
        assertThat(await(log.latest("jobs"))).map(e -> e.payload().getInteger("pct")).contains(5);
    }

    /** A JDBC connection with its transaction held open. */
    static final class JdbcWriter implements Writer {
        private final Connection connection;
        private final String sql;

        JdbcWriter(Connection connection, String sql) throws Exception {
            this.connection = connection;
            this.sql = sql;
            connection.setAutoCommit(false);
        }

        @Override
        public List<Long> publish(List<String> rooms, String json) throws Exception {
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

        @Override
        public void commit() throws Exception {
            connection.commit();
        }

        @Override
        public void rollback() throws Exception {
            connection.rollback();
        }

        @Override
        public void close() throws Exception {
            if (!connection.isClosed()) {
                connection.rollback();
                connection.close();
            }
        }
    }
}
