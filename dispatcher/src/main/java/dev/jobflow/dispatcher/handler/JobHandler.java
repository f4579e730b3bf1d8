package dev.jobflow.dispatcher.handler;

import java.util.List;

import dev.jobflow.core.params.ParamSpec;

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

    /**
     * The parameters this type takes (names, kinds, ranges, required), registered with the job type
     * so that job-api refuses a bad submit with a 400 naming the parameter; a declared list is closed
     * (a name it does not list is refused). The dispatcher checks them again before {@link #run}: a job
     * that breaks them fails at once, without a retry. Null (the default): not declared, any params.
     */
    default List<ParamSpec> params() {
        return null;
    }

    /**
     * Runs one attempt; the value returned is the job's result (null: none). Input that can never
     * succeed: throw {@link JobInputException} (the job fails at once, no retry).
     */
    Object run(JobContext context) throws Exception;
}
