package dev.jobflow.oracle.aq;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import io.smallrye.mutiny.Uni;

import oracle.jdbc.OracleConnection;
import oracle.jdbc.pool.OracleDataSource;

/**
 * A small, bounded set of JDBC sessions for the AQ calls the reactive client cannot make (the
 * blocking dequeue). Every call runs on a virtual thread and holds one session for its length; at
 * most {@code size} sessions exist. A session whose call failed is closed, not reused.
 */
public final class AqSessions implements AutoCloseable {
    private final OracleDataSource dataSource;
    private final String owner;
    private final DispatchQueue queue;
    private final Semaphore permits;
    private final Deque<OracleConnection> idle = new ConcurrentLinkedDeque<>();
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private volatile boolean closed;

    /** Work on one session; it must commit what it wants kept (auto-commit is off). */
    @FunctionalInterface
    public interface Work<T> {
        T apply(OracleConnection connection) throws SQLException;
    }

    /**
     * @param owner the schema that owns the Jobflow objects (an upper-case identifier); every session
     *        works in it, also when it logs in as a service user
     */
    public AqSessions(OracleDataSource dataSource, String owner, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("at least one AQ session is needed, got " + size);
        }
        this.dataSource = dataSource;
        this.owner = owner;
        this.queue = new DispatchQueue(owner);
        this.permits = new Semaphore(size, true);
    }

    public <T> Uni<T> call(String operation, Work<T> work) {
        return Uni.createFrom().item(() -> callBlocking(operation, work)).runSubscriptionOn(threads);
    }

    /** The dispatch queue, named with its owner. */
    public DispatchQueue queue() {
        return queue;
    }

    /**
     * Opens a session outside the bounded set (the caller owns and closes it), working in the
     * owner's schema.
     */
    public OracleConnection open() throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(false);
            connection.setSchema(owner);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection.unwrap(OracleConnection.class);
    }

    private <T> T callBlocking(String operation, Work<T> work) {
        if (closed) {
            throw new IllegalStateException("AQ sessions are closed");
        }
        permits.acquireUninterruptibly();
        OracleConnection connection = null;
        boolean reusable = false;
        try {
            connection = idle.pollFirst();
            if (connection == null) {
                connection = open();
            }
            T result = work.apply(connection);
            reusable = true;
            return result;
        } catch (SQLException e) {
            throw new QueueException(queue.queue(), operation, e);
        } finally {
            if (connection != null) {
                if (reusable && !closed) {
                    idle.addFirst(connection);
                } else {
                    rollbackAndClose(connection);
                }
            }
            permits.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        OracleConnection connection;
        while ((connection = idle.pollFirst()) != null) {
            rollbackAndClose(connection);
        }
        threads.shutdown();
    }

    static void rollbackAndClose(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // closing anyway
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing more to do
        }
    }
}
