package dev.jobflow.oracle;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import org.jboss.logging.Logger;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Lease;
import dev.jobflow.core.store.JobParams;
import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.oracle.aq.DispatchQueue;

import oracle.jdbc.OracleConnection;
import oracle.jdbc.aq.AQMessage;

/**
 * One claim of one queue on one JDBC AQ session, in one transaction: nothing from a paused queue;
 * with the queue's cap and the global cap, lock the free slots of each first (V006, V013); dequeue
 * up to the free slots (array dequeue, the queue's name as correlation), take each message's job
 * with {@code claim_jobs} (and its slots with {@code fill_cap_slot}, {@code fill_queue_slot}), read
 * the claimed rows, commit. The
 * messages leave the queue if and only if the claims commit. Stale messages (their job was
 * cancelled, finished or re-enqueued) are consumed without effect, and the claim dequeues again
 * for the slots they did not fill.
 */
final class AqClaim {
    /** ORA-00001: unique constraint violated. */
    private static final Logger LOG = Logger.getLogger(AqClaim.class);
    private static final int UNIQUE_VIOLATION = 1;

    private final NamedQueries sql;
    private final DispatchQueue dispatch;

    AqClaim(NamedQueries sql, DispatchQueue dispatch) {
        this.sql = sql;
        this.dispatch = dispatch;
    }

    /**
     * Claims up to {@code request.max()} jobs of {@code request.queue()} (the messages whose
     * correlation is that queue's name), under the queue's cap and the global cap, nothing from a
     * paused queue.
     */
    List<ClaimedJob> run(OracleConnection connection, ClaimRequest request, int waitSeconds) throws SQLException {
        String owner = request.owner();
        String queue = request.queue();
        int max = request.max();
        OptionalInt globalCap = request.globalCap();
        List<ClaimedJob> claimed = new ArrayList<>(max);
        try (PreparedStatement claim = connection.prepareStatement(sql.get("claim_jobs"));
                PreparedStatement find = connection.prepareStatement(sql.get("find_job"));
                PreparedStatement fill = connection.prepareStatement(sql.get("fill_cap_slot"));
                PreparedStatement fillQueue = connection.prepareStatement(sql.get("fill_queue_slot"));
                PreparedStatement fail = connection.prepareStatement(sql.get("fail_job"))) {
            int wait = waitSeconds;
            QueueLimit limit = queueLimit(connection, queue);
            if (limit.paused()) {
                connection.commit();
                return claimed;
            }
            List<Integer> slots = null;
            List<Integer> queueSlots = null;
            if (globalCap.isPresent() || limit.cap() != null) {
                // Wait for work without holding any slot, then lock the free slots and dequeue at once.
                if (wait > 0 && !dispatch.awaitReady(connection, queue, wait)) {
                    connection.commit();
                    return claimed;
                }
                wait = 0;
                // Slot rows a cap uses for the first time are created and committed before any lock
                // is taken: another claimer never waits for this claim's uncommitted insert.
                boolean added = limit.cap() != null && ensureSlots(connection, Slots.queue(queue), limit.cap());
                added |= globalCap.isPresent() && ensureSlots(connection, Slots.GLOBAL, globalCap.getAsInt());
                if (added) {
                    connection.commit();
                }
                if (limit.cap() != null) {
                    queueSlots = lockFreeSlots(connection, Slots.queue(queue), limit.cap(), max);
                    max = queueSlots.size();
                }
                if (globalCap.isPresent()) {
                    slots = lockFreeSlots(connection, Slots.GLOBAL, globalCap.getAsInt(), max);
                    max = slots.size();
                }
            }
            while (claimed.size() < max) {
                int wanted = max - claimed.size();
                AQMessage[] messages = dispatch.take(connection, queue, wanted, wait);
                wait = 0; // later rounds take only what is there already
                for (AQMessage message : messages) {
                    long jobId = DispatchQueue.jobId(message);
                    Integer slot = slots == null ? null : slots.get(claimed.size());
                    Integer queueSlot = queueSlots == null ? null : queueSlots.get(claimed.size());
                    if (take(claim, request, jobId, message.getMessageId(), slot, queueSlot)) {
                        if (slot != null) {
                            fill.setLong(1, jobId);
                            fill.setInt(2, slot);
                            fill.executeUpdate();
                        }
                        if (queueSlot != null) {
                            fillQueue.setLong(1, jobId);
                            fillQueue.setString(2, queue);
                            fillQueue.setInt(3, queueSlot);
                            fillQueue.executeUpdate();
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

    /** The queue's cap (null: none) and paused flag; an unknown queue is as a paused one: nothing to claim. */
    private QueueLimit queueLimit(OracleConnection connection, String queue) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(sql.get("queue_for_claim"))) {
            read.setString(1, queue);
            try (ResultSet rs = read.executeQuery()) {
                if (!rs.next()) {
                    return new QueueLimit(null, true);
                }
                int cap = rs.getInt("cap");
                Integer capOrNull = rs.wasNull() ? null : cap;
                return new QueueLimit(capOrNull, rs.getInt("paused") == 1);
            }
        }
    }

    private record QueueLimit(Integer cap, boolean paused) {
    }

    /**
     * One set of cap slots: the global cap's ({@code dispatch_cap_slots}) or a queue's
     * ({@code job_queue_slots} of that queue); the statements differ only by the queue bound first.
     */
    private record Slots(String queue, String exist, String add, String lock, String recheck, String over) {

        static final Slots GLOBAL = new Slots(null, "cap_slots_exist", "add_cap_slots", "lock_cap_slots",
                "recheck_cap_slots", "cap_slots_over");

        static Slots queue(String name) {
            return new Slots(name, "queue_slots_exist", "add_queue_slots", "lock_queue_slots", "recheck_queue_slots",
                    "queue_slots_over");
        }

        /** Binds the queue (if any) first; returns the next parameter index. */
        int bindQueue(PreparedStatement statement) throws SQLException {
            if (queue == null) {
                return 1;
            }
            statement.setString(1, queue);
            return 2;
        }
    }

    /**
     * Locks up to {@code max} free slots under the cap (held until this transaction ends; slots
     * other claims hold are skipped), less the slots above the cap still in use.
     */
    private List<Integer> lockFreeSlots(OracleConnection connection, Slots set, int cap, int max) throws SQLException {
        if (cap <= 0 || max <= 0) {
            return List.of(); // as jobs_claim in PostgreSQL: nothing to claim
        }
        List<Integer> slots = new ArrayList<>(max);
        try (PreparedStatement lock = connection.prepareStatement(sql.get(set.lock()))) {
            lock.setInt(set.bindQueue(lock), cap);
            lock.setFetchSize(Math.max(1, max)); // SKIP LOCKED locks rows as they are fetched: only these
            try (ResultSet rs = lock.executeQuery()) {
                while (slots.size() < max && rs.next()) {
                    slots.add(rs.getInt("slot"));
                }
            }
        }
        slots = stillFree(connection, set, slots);
        int over;
        try (PreparedStatement count = connection.prepareStatement(sql.get(set.over()))) {
            count.setInt(set.bindQueue(count), cap);
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
    private List<Integer> stillFree(OracleConnection connection, Slots set, List<Integer> locked) throws SQLException {
        if (locked.isEmpty()) {
            return locked;
        }
        Set<Integer> free = new HashSet<>();
        try (PreparedStatement recheck = connection.prepareStatement(sql.get(set.recheck()))) {
            int i = set.bindQueue(recheck);
            recheck.setInt(i, Collections.min(locked));
            recheck.setInt(i + 1, Collections.max(locked));
            try (ResultSet rs = recheck.executeQuery()) {
                while (rs.next()) {
                    free.add(rs.getInt("slot"));
                }
            }
        }
        return locked.stream().filter(free::contains).toList();
    }

    /**
     * Creates slot rows 1..cap on the first claim with this cap; whether it inserted any (the caller
     * commits them before it locks anything).
     */
    private boolean ensureSlots(OracleConnection connection, Slots set, int cap) throws SQLException {
        if (cap <= 0) {
            return false; // "connect by level <= 0" still returns its root row and would create slot 1
        }
        try (PreparedStatement exists = connection.prepareStatement(sql.get(set.exist()))) {
            exists.setInt(set.bindQueue(exists), cap);
            try (ResultSet rs = exists.executeQuery()) {
                rs.next();
                if (rs.getInt("present") > 0) {
                    return false;
                }
            }
        }
        try (PreparedStatement add = connection.prepareStatement(sql.get(set.add()))) {
            int i = set.bindQueue(add);
            add.setInt(i, cap);
            if (set.queue() != null) {
                add.setString(i + 1, set.queue());
            }
            return add.executeUpdate() > 0;
        } catch (SQLException e) {
            if (e.getErrorCode() != UNIQUE_VIOLATION) {
                throw e;
            }
            // another claimer created them at the same time: only this statement was rolled back
            return false;
        }
    }

    private static boolean take(PreparedStatement claim, ClaimRequest request, long jobId, byte[] msgid, Integer slot,
            Integer queueSlot) throws SQLException {
        claim.setString(1, request.owner());
        claim.setLong(2, request.leaseFor().toMillis());
        claim.setLong(3, request.timeoutGrace().toMillis());
        setSlot(claim, 4, slot);
        setSlot(claim, 5, queueSlot);
        claim.setLong(6, jobId);
        claim.setBytes(7, msgid);
        return claim.executeUpdate() == 1;
    }

    private static void setSlot(PreparedStatement statement, int index, Integer slot) throws SQLException {
        if (slot == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, slot);
        }
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
                return new ClaimedJob(OracleRows.job(rs), new Lease(jobId, owner, token), rs.getString("trace_parent"));
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
