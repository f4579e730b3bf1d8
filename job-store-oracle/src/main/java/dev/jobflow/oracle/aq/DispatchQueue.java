package dev.jobflow.oracle.aq;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;

import oracle.jdbc.OracleConnection;
import oracle.jdbc.aq.AQDequeueOptions;
import oracle.jdbc.aq.AQMessage;

/**
 * The AQ objects of sql/oracle/V002__dispatch.sql and the two dequeues this adapter makes on
 * them, through the JDBC AQ API (oracle.jdbc.aq). The payload is RAW: the job id as decimal text.
 */
public final class DispatchQueue {
    /** The queue of ready and delayed jobs. */
    public static final String QUEUE = "JOBFLOW_DISPATCH_Q";
    /** The queue table holding it and its exception queue. */
    public static final String QUEUE_TABLE = "JOBFLOW_DISPATCH_QT";
    /** Messages whose claims rolled back too often; the reaper re-enqueues their jobs. */
    public static final String EXCEPTION_QUEUE = "JOBFLOW_DISPATCH_EQ";
    /** The payload type; RAW allows array dequeue. */
    public static final String PAYLOAD_TYPE = "RAW";
    /** "timeout or end-of-fetch during message dequeue": no message within the wait. */
    public static final int NO_MESSAGE = 25228;

    private static final AQMessage[] NONE = new AQMessage[0];

    private DispatchQueue() {
    }

    /**
     * Removes up to {@code max} ready messages of the named queue {@code queue} (their correlation),
     * highest priority then oldest first, waiting up to
     * {@code waitSeconds} (0: only what is there) for the first one. The removal commits with the
     * caller's transaction (visibility ON_COMMIT): a rollback puts the messages back.
     *
     * @return the messages, empty when none arrived within the wait (ORA-25228)
     */
    public static AQMessage[] take(OracleConnection connection, String queue, int max, int waitSeconds)
            throws SQLException {
        AQDequeueOptions options = new AQDequeueOptions();
        options.setCorrelation(queue);
        options.setDequeueMode(AQDequeueOptions.DequeueMode.REMOVE);
        options.setVisibility(AQDequeueOptions.VisibilityOption.ON_COMMIT);
        options.setNavigation(AQDequeueOptions.NavigationOption.FIRST_MESSAGE);
        options.setWait(waitSeconds);
        options.setRetrieveMessageId(true);
        try {
            AQMessage[] messages = connection.dequeue(QUEUE, options, PAYLOAD_TYPE, max);
            return messages == null ? NONE : messages;
        } catch (SQLException e) {
            if (e.getErrorCode() == NO_MESSAGE) {
                return NONE;
            }
            throw e;
        }
    }

    /**
     * Waits up to {@code waitSeconds} until a message is ready, without taking or locking it
     * (BROWSE). Used only to wake a dispatcher; the claim takes the message.
     *
     * @param queue only messages of this named queue, or null: of any
     * @return whether a ready message exists
     */
    public static boolean awaitReady(OracleConnection connection, String queue, int waitSeconds) throws SQLException {
        AQDequeueOptions options = new AQDequeueOptions();
        if (queue != null) {
            options.setCorrelation(queue);
        }
        options.setDequeueMode(AQDequeueOptions.DequeueMode.BROWSE);
        options.setNavigation(AQDequeueOptions.NavigationOption.FIRST_MESSAGE);
        options.setWait(waitSeconds);
        try {
            return connection.dequeue(QUEUE, options, PAYLOAD_TYPE) != null;
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
