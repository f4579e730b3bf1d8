package dev.jobflow.dispatcher.handler;

/**
 * Runs jobs of one type. Implement it as a CDI bean ({@code @ApplicationScoped}); the dispatcher
 * finds it by {@link #type()}. {@link #run} is called on a virtual thread of its own; returning
 * normally completes the job (100 %) with the returned value as its result (any value Jackson
 * writes as JSON, at most 3,998 bytes of it; null: none), throwing fails the attempt (retried with
 * backoff while attempts remain). A handler should check {@link JobContext#isCancelled()} between steps and
 * return when it is set; its thread is also interrupted on cancel, lease loss and drain.
 */
public interface JobHandler {

    /** The job type this handler runs, e.g. {@code demo}. */
    String type();

    /** Runs one attempt; the value returned is the job's result (null: none). */
    Object run(JobContext context) throws Exception;
}
