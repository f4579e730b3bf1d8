package dev.jobflow.dispatcher.handler;

/**
 * Thrown by a handler whose job's input can never succeed (a parameter out of range, of the wrong
 * kind, missing): the job fails at once with this message as its error, whatever attempts remain,
 * instead of being retried until they run out.
 */
public class JobInputException extends IllegalArgumentException {
    public JobInputException(String message) {
        super(message);
    }
}
