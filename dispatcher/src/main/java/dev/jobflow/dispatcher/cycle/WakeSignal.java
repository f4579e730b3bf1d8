package dev.jobflow.dispatcher.cycle;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Wakes the waiting cycle. Two kinds of signal: work may have come (a NOTIFY from the database, a
 * job of ours queued again, the queue list changed, a stop), and one of our slots was freed. A wait
 * says whether a freed slot is news to it: it is when the slots were full or a cap held the last
 * claim back, and not when the last claim found the queues empty (claiming again would find nothing:
 * at a low rate that was every other claim).
 * Counters make a signal that arrives between "look" and "wait" count.
 */
@ApplicationScoped
public class WakeSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private long work;
    private long freed;

    /** What has been signalled so far: wait for something after it. */
    public record Seen(long work, long freed) {
    }

    public Seen seen() {
        lock.lock();
        try {
            return new Seen(work, freed);
        } finally {
            lock.unlock();
        }
    }

    /** Work may have come (or the cycle must look again). */
    public void signal() {
        bump(true);
    }

    /** One of this replica's slots was freed. */
    public void slotFreed() {
        bump(false);
    }

    private void bump(boolean isWork) {
        lock.lock();
        try {
            if (isWork) {
                work++;
            } else {
                freed++;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until work is signalled after {@code seen} (or, with {@code orSlotFreed}, a slot is freed)
     * or the timeout. @return true if signalled
     */
    public boolean await(Seen seen, boolean orSlotFreed, Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (work == seen.work() && (!orSlotFreed || freed == seen.freed())) {
                if (left <= 0) {
                    return false;
                }
                left = changed.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }
}
