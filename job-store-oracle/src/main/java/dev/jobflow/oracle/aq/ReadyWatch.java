package dev.jobflow.oracle.aq;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

import oracle.jdbc.OracleConnection;

/**
 * Wakes a dispatcher when work is ready: one dedicated session waits in a BROWSE dequeue (it takes
 * and locks nothing) and calls the listener when a message is ready, at once when it is enqueued
 * or when its delay ends. After a wake it waits for the next claim (or {@code rewake}) before it
 * looks again, so ready work that no slot can take yet does not spin. The PostgreSQL twin is
 * LISTEN/NOTIFY.
 */
public final class ReadyWatch implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ReadyWatch.class);

    private final AqSessions sessions;
    private final Runnable listener;
    private final int waitSeconds;
    private final Duration rewake;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition claimed = lock.newCondition();
    private volatile boolean closed;
    private volatile OracleConnection connection;
    private final Thread thread;

    /**
     * @param waitSeconds how long one browse waits before it looks again (bounds the close time)
     * @param rewake after a wake without a claim, how long until the listener may be called again
     */
    public ReadyWatch(AqSessions sessions, Runnable listener, int waitSeconds, Duration rewake) {
        this.sessions = sessions;
        this.listener = listener;
        this.waitSeconds = waitSeconds;
        this.rewake = rewake;
        this.thread = Thread.ofVirtual().name("jobflow-aq-ready-watch").unstarted(this::loop);
    }

    public ReadyWatch start() {
        thread.start();
        return this;
    }

    /** Called after every claim: the next wake may come at once. */
    public void claimed() {
        lock.lock();
        try {
            claimed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void loop() {
        listener.run(); // as on (re)subscribe in PostgreSQL: work may be waiting already
        while (!closed) {
            try {
                if (connection == null) {
                    connection = sessions.open();
                }
                if (sessions.queue().awaitReady(connection, null, waitSeconds) && !closed) {
                    listener.run();
                    awaitClaim();
                }
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.warnf("ready watch on %s failed, reconnecting: %s", sessions.queue().queue(), e.getMessage());
                dropConnection();
                awaitClaim(); // back off before reconnecting
            }
        }
        dropConnection();
    }

    private void awaitClaim() {
        lock.lock();
        try {
            claimed.await(rewake.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        } finally {
            lock.unlock();
        }
    }

    private void dropConnection() {
        OracleConnection current = connection;
        connection = null;
        if (current != null) {
            AqSessions.rollbackAndClose(current);
        }
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        OracleConnection current = connection;
        if (current != null) {
            try {
                current.abort(); // ends a browse that is waiting right now
            } catch (SQLException e) {
                LOG.debugf("abort of the ready watch session: %s", e.getMessage());
            }
        }
        claimed();
        thread.join(Duration.ofSeconds(waitSeconds + 5L));
    }
}
