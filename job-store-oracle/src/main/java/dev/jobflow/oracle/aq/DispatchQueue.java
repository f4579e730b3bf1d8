package dev.jobflow.oracle.aq;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;

import org.jboss.logging.Logger;

import oracle.jdbc.OracleConnection;
import oracle.jdbc.aq.AQDequeueOptions;
import oracle.jdbc.aq.AQMessage;

/**
 * The AQ objects of sql/oracle/V002__dispatch.sql and the two dequeues this adapter makes on
 * them, through the JDBC AQ API (oracle.jdbc.aq). The payload is RAW: the job id as decimal text.
 * The queue is always named with its owner ({@link #queue()}): a service user that is not the
 * owner reaches it only that way (an unqualified name would be looked up in its own schema).
 */
public final class DispatchQueue {
    /** The queue of ready and delayed jobs (unqualified, as the scripts create it). */
    public static final String QUEUE = "JOBFLOW_DISPATCH_Q";
    /** The queue table holding it and its exception queue. */
    public static final String QUEUE_TABLE = "JOBFLOW_DISPATCH_QT";
    /** Messages whose claims rolled back too often; the reaper re-enqueues their jobs. */
    public static final String EXCEPTION_QUEUE = "JOBFLOW_DISPATCH_EQ";
    /** The payload type; RAW allows array dequeue. */
    public static final String PAYLOAD_TYPE = "RAW";
    /** "timeout or end-of-fetch during message dequeue": no message within the wait. */
    public static final int NO_MESSAGE = 25228;

    private static final Logger LOG = Logger.getLogger(DispatchQueue.class);
    private static final AQMessage[] NONE = new AQMessage[0];

    private final String queue;
    private volatile boolean arrayDequeue = true;

    /** @param owner the schema that owns the queue: an upper-case Oracle identifier */
    public DispatchQueue(String owner) {
        this.queue = owner + "." + QUEUE;
    }

    /** The queue's name qualified with its owner, as every AQ call of this adapter names it. */
    public String queue() {
        return queue;
    }

    /**
     * Removes up to {@code max} ready messages of the named queue {@code correlation} (the job's queue),
     * highest priority then oldest first, waiting up to
     * {@code waitSeconds} (0: only what is there) for the first one. The removal commits with the
     * caller's transaction (visibility ON_COMMIT): a rollback puts the messages back.
     *
     * @return the messages, empty when none arrived within the wait (ORA-25228)
     */
    public AQMessage[] take(OracleConnection connection, String correlation, int max, int waitSeconds)
            throws SQLException {
        AQDequeueOptions options = new AQDequeueOptions();
        options.setCorrelation(correlation);
        options.setDequeueMode(AQDequeueOptions.DequeueMode.REMOVE);
        options.setVisibility(AQDequeueOptions.VisibilityOption.ON_COMMIT);
        options.setNavigation(AQDequeueOptions.NavigationOption.FIRST_MESSAGE);
        options.setWait(waitSeconds);
        options.setRetrieveMessageId(true);
        try {
            if (arrayDequeue) {
                try {
                    AQMessage[] messages = connection.dequeue(queue, options, PAYLOAD_TYPE, max);
                    return messages == null ? NONE : messages;
                } catch (SQLFeatureNotSupportedException e) {
                    // A driver or server without array dequeue (docs/oracle-install.md, "19c and 23ai"):
                    // one message per call from now on, same order and transaction.
                    LOG.warnf("array dequeue not supported (%s): dequeuing one message at a time", e.getMessage());
                    arrayDequeue = false;
                }
            }
            return takeOneByOne(connection, options, max);
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_MESSAGE) {
                return NONE;
            }
            throw e;
        }
    }

    private AQMessage[] takeOneByOne(OracleConnection connection, AQDequeueOptions options, int max)
            throws SQLException {
        List<AQMessage> taken = new ArrayList<>(max);
        while (taken.size() < max) {
            AQMessage message;
            try {
                message = connection.dequeue(queue, options, PAYLOAD_TYPE);
            } catch (SQLException e) {
                if (e.getErrorCode() == NO_MESSAGE) {
                    break;
                }
                throw e;
            }
            if (message == null) {
                break;
            }
            taken.add(message);
            options.setWait(0); // only the first waits
        }
        return taken.toArray(NONE);
    }

    /**
     * Waits up to {@code waitSeconds} until a message is ready, without taking or locking it
     * (BROWSE). Used only to wake a dispatcher; the claim takes the message.
     *
     * @param correlation only messages of this named queue, or null: of any
     * @return whether a ready message exists
     */
    public boolean awaitReady(OracleConnection connection, String correlation, int waitSeconds) throws SQLException {
        AQDequeueOptions options = new AQDequeueOptions();
        if (correlation != null) {
            options.setCorrelation(correlation);
        }
        options.setDequeueMode(AQDequeueOptions.DequeueMode.BROWSE);
        options.setNavigation(AQDequeueOptions.NavigationOption.FIRST_MESSAGE);
        options.setWait(waitSeconds);
        try {
            return connection.dequeue(queue, options, PAYLOAD_TYPE) != null;
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_MESSAGE) {
                return false;
            }
            throw e;
        }
    }

    /** The job id a message stands for. */
    public static long jobId(AQMessage message) throws SQLException {
        return Long.parseLong(new String(message.getPayload(), StandardCharsets.US_ASCII).strip());
    }
}
