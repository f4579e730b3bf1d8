package dev.jobflow.core.store;

/** No queue of that name (a submit to it writes nothing; queues are created with PUT). */
public class QueueNotFoundException extends JobflowException {
    private final String queue;

    public QueueNotFoundException(String queue) {
        super("queue '" + queue + "' does not exist");
        this.queue = queue;
    }

    public String queue() {
        return queue;
    }
}
