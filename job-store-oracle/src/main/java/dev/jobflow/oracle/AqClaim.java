package dev.jobflow.oracle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.store.JobParams;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.oracle.aq.DispatchQueue;

import oracle.jdbc.OracleConnection;
import oracle.jdbc.aq.AQMessage;

/**
 * One claim on one JDBC AQ session, in one transaction: with a global cap, lock the free cap slots
 * first (V006); dequeue up to the free slots (array dequeue), take each message's job with
 * {@code claim_jobs} (and its cap slot with {@code fill_cap_slot}), read the claimed rows, commit. The
 * messages leave the queue if and only if the claims commit. Stale messages (their job was
 * cancelled, finished or re-enqueued) are consumed without effect, and the claim dequeues again
 * for the slots they did not fill.
 */
final class AqClaim {
    /** ORA-00001: unique constraint violated. */
    private static final Logger LOG = Logger.getLogger(AqClaim.class);
    private static final int UNIQUE_VIOLATION = 1;

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
                PreparedStatement find = connection.prepareStatement(sql.get("find_job"));
                PreparedStatement fill = connection.prepareStatement(sql.get("fill_cap_slot"));
                PreparedStatement fail = connection.prepareStatement(sql.get("fail_job"))) {
            int wait = waitSeconds;
            List<Integer> slots = null;
            if (globalCap.isPresent()) {
                // Wait for work without holding any slot, then lock the free slots and dequeue at once.
                if (wait > 0 && !DispatchQueue.awaitReady(connection, wait)) {
                    connection.commit();
                    return claimed;
                }
                wait = 0;
                slots = lockFreeSlots(connection, globalCap.getAsInt(), max);
                max = slots.size();
            }
            while (claimed.size() < max) {
                int wanted = max - claimed.size();
                AQMessage[] messages = DispatchQueue.take(connection, wanted, wait);
                wait = 0; // later rounds take only what is there already
                for (AQMessage message : messages) {
                    long jobId = DispatchQueue.jobId(message);
                    Integer slot = slots == null ? null : slots.get(claimed.size());
                    if (take(claim, owner, leaseFor, jobId, message.getMessageId(), slot)) {
                        if (slot != null) {
                            fill.setLong(1, jobId);
                            fill.setInt(2, slot);
                            fill.executeUpdate();
                        }
                        ClaimedJob job = read(find, fail, jobId, owner);
                        if (job != null) {
                            claimed.add(job);
                        }
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

    /**
     * Locks up to {@code max} free slots under the cap (held until this transaction ends; slots
     * other claims hold are skipped), less the slots above the cap still in use.
     */
    private List<Integer> lockFreeSlots(OracleConnection connection, int cap, int max) throws SQLException {
        if (cap <= 0 || max <= 0) {
            // As jobs_claim in PostgreSQL: nothing to claim. Also keeps add_cap_slots away from cap 0:
            // "connect by level <= 0" still returns its root row and would create slot 1.
            return List.of();
        }
        ensureSlots(connection, cap);
        List<Integer> slots = new ArrayList<>(max);
        try (PreparedStatement lock = connection.prepareStatement(sql.get("lock_cap_slots"))) {
            lock.setInt(1, cap);
            lock.setFetchSize(Math.max(1, max)); // SKIP LOCKED locks rows as they are fetched: only these
            try (ResultSet rs = lock.executeQuery()) {
                while (slots.size() < max && rs.next()) {
                    slots.add(rs.getInt("slot"));
                }
            }
        }
        slots = stillFree(connection, slots);
        int over;
        try (PreparedStatement count = connection.prepareStatement(sql.get("cap_slots_over"))) {
            count.setInt(1, cap);
            try (ResultSet rs = count.executeQuery()) {
                rs.next();
                over = rs.getInt("over_cap");
            }
        }
        return slots.subList(0, Math.max(0, slots.size() - over));
    }

    /**
     * The locked slots that are free as of now. A new statement reads what committed before it
     * began, and any claim that filled one of our slots committed before we got its lock: so this
     * holds however the locking query treated a row changed after it started (PostgreSQL's
     * READ COMMITTED re-checks it; the second look makes Oracle's path not depend on that).
     */
    private List<Integer> stillFree(OracleConnection connection, List<Integer> locked) throws SQLException {
        if (locked.isEmpty()) {
            return locked;
        }
        Set<Integer> free = new HashSet<>();
        try (PreparedStatement recheck = connection.prepareStatement(sql.get("recheck_cap_slots"))) {
            recheck.setInt(1, Collections.min(locked));
            recheck.setInt(2, Collections.max(locked));
            try (ResultSet rs = recheck.executeQuery()) {
                while (rs.next()) {
                    free.add(rs.getInt("slot"));
                }
            }
        }
        return locked.stream().filter(free::contains).toList();
    }

    /** Creates slot rows 1..cap on the first claim with this cap. */
    private void ensureSlots(OracleConnection connection, int cap) throws SQLException {
        try (PreparedStatement exists = connection.prepareStatement(sql.get("cap_slots_exist"))) {
            exists.setInt(1, cap);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (rs.getInt("present") > 0) {
                    return;
                }
            }
        }
        try (PreparedStatement add = connection.prepareStatement(sql.get("add_cap_slots"))) {
            add.setInt(1, cap);
            add.executeUpdate();
        } catch (SQLException e) {
            if (e.getErrorCode() != UNIQUE_VIOLATION) {
                throw e;
            }
            // another claimer created them at the same time: only this statement was rolled back
        }
    }

    private static boolean take(PreparedStatement claim, String owner, Duration leaseFor, long jobId, byte[] msgid,
            Integer slot) throws SQLException {
        claim.setString(1, owner);
        claim.setLong(2, leaseFor.toMillis());
        if (slot == null) {
            claim.setNull(3, Types.INTEGER);
        } else {
            claim.setInt(3, slot);
        }
        claim.setLong(4, jobId);
        claim.setBytes(5, msgid);
        return claim.executeUpdate() == 1;
    }

    /**
     * The claimed row as this transaction wrote it (the row lock is still ours); null when its params
     * cannot be decoded: then the job is failed in this transaction (fail_job without a retry time)
     * with a clear error, so one such row does not roll back the claim of the others again and again.
     */
    private static ClaimedJob read(PreparedStatement find, PreparedStatement fail, long jobId, String owner)
            throws SQLException {
        find.setLong(1, jobId);
        long token;
        try (ResultSet rs = find.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("claimed job " + jobId + " vanished inside its own transaction");
            }
            token = rs.getLong("lease_token");
            try {
                return new ClaimedJob(OracleRows.job(rs), new Lease(jobId, owner, token));
            } catch (JobParams.Undecodable e) {
                LOG.warnf("job %d: %s", jobId, e.getMessage());
                for (int i = 1; i <= 4; i++) {
                    fail.setNull(i, Types.VARCHAR); // no retry time: FAILED at once
                }
                fail.setString(5, e.getMessage());
                fail.setLong(6, jobId);
                fail.setLong(7, token);
                fail.executeUpdate();
                return null;
            }
        }
    }
}
