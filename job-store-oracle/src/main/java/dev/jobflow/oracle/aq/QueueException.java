package dev.jobflow.oracle.aq;

import java.sql.SQLException;

import dev.jobflow.core.store.JobflowException;

/** A call to the AQ dispatch queue failed for a reason other than "no message" (ORA-25228). */
public class QueueException extends JobflowException {
    private final String queue;
    private final int errorCode;

    public QueueException(String queue, String operation, SQLException cause) {
        super(operation + " on queue " + queue + " failed: ORA-" + String.format("%05d", cause.getErrorCode()) + " "
                + firstLine(cause.getMessage()));
        this.queue = queue;
        this.errorCode = cause.getErrorCode();
        initCause(cause);
    }

    public String queue() {
        return queue;
    }

    public int errorCode() {
        return errorCode;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
