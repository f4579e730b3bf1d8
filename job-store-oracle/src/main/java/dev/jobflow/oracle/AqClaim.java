package dev.jobflow.oracle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.oracle.aq.DispatchQueue;

import oracle.jdbc.OracleConnection;
import oracle.jdbc.aq.AQMessage;

/**
 * One claim on one JDBC AQ session, in one transaction: dequeue up to the free slots (array
 * dequeue), take each message's job with {@code claim_jobs}, read the claimed rows, commit. The
 * messages leave the queue if and only if the claims commit. Stale messages (their job was
 * cancelled, finished or re-enqueued) are consumed without effect, and the claim dequeues again
 * for the slots they did not fill.
 */
final class AqClaim {
    private final NamedQueries sql;

    AqClaim(NamedQueries sql) {
        this.sql = sql;
    }

    /**
     * @param globalCap at most this many jobs RUNNING across all capped claimers, or empty: no cap
     */
    List<ClaimedJob> run(OracleConnection connection, String owner, int max, Duration leaseFor, int waitSeconds,
            OptionalInt globalCap) throws SQLException {
        List<ClaimedJob> claimed = new ArrayList<>(max);
        try (PreparedStatement claim = connection.prepareStatement(sql.get("claim_jobs"));
                PreparedStatement find = connection.prepareStatement(sql.get("find_job"))) {
            int wait = waitSeconds;
            if (globalCap.isPresent()) {
                // Wait for work without holding the cap lock, then lock, count and dequeue at once.
                if (wait > 0 && !DispatchQueue.awaitReady(connection, wait)) {
                    connection.commit();
                    return claimed;
                }
                wait = 0;
                max = Math.min(max, globalCap.getAsInt() - runningUnderCapLock(connection));
            }
            while (claimed.size() < max) {
                int wanted = max - claimed.size();
                AQMessage[] messages = DispatchQueue.take(connection, wanted, wait);
                wait = 0; // later rounds take only what is there already
                for (AQMessage message : messages) {
                    long jobId = DispatchQueue.jobId(message);
                    if (take(claim, owner, leaseFor, jobId, message.getMessageId())) {
                        claimed.add(read(find, jobId, owner));
                    }
                }
                if (messages.length < wanted) {
                    break; // the queue has nothing more that is ready
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
        return claimed;
    }

    /** Takes the cap lock (held until this transaction ends) and counts RUNNING jobs. */
    private int runningUnderCapLock(OracleConnection connection) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(sql.get("claim_lock"));
                ResultSet locked = lock.executeQuery()) {
            if (!locked.next()) {
                throw new IllegalStateException("jobs_claim_lock has no row: install sql/oracle V004_1");
            }
        }
        try (PreparedStatement count = connection.prepareStatement(sql.get("count_running"));
                ResultSet rs = count.executeQuery()) {
            rs.next();
            return rs.getInt("running");
        }
    }

    private static boolean take(PreparedStatement claim, String owner, Duration leaseFor, long jobId, byte[] msgid)
            throws SQLException {
        claim.setString(1, owner);
        claim.setLong(2, leaseFor.toMillis());
        claim.setLong(3, jobId);
        claim.setBytes(4, msgid);
        return claim.executeUpdate() == 1;
    }

    /** The claimed row as this transaction wrote it (the row lock is still ours). */
    private static ClaimedJob read(PreparedStatement find, long jobId, String owner) throws SQLException {
        find.setLong(1, jobId);
        try (ResultSet rs = find.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("claimed job " + jobId + " vanished inside its own transaction");
            }
            Job job = OracleRows.job(rs);
            return new ClaimedJob(job, new Lease(jobId, owner, rs.getLong("lease_token")));
        }
    }
}
