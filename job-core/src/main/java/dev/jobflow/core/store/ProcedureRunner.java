package dev.jobflow.core.store;

import java.util.Map;

import dev.jobflow.core.model.Lease;

/**
 * Runs a stored procedure as a job's handler (job type {@code sql:<procedure>}), in the database
 * that holds the jobs: {@code procedure(job_id, params)} on a session of its own, carrying the
 * claim's fencing token so that the procedure's progress calls ({@code job_progress}) are fenced
 * like any other update of the job. The procedure may commit between steps; its progress is visible
 * while it runs. Each backend implements it with its own call syntax (docs/oracle-vs-postgres.md).
 */
public interface ProcedureRunner {

    /**
     * Calls {@code procedure} and returns when it has returned (blocking; run it on a virtual
     * thread). Interrupting the calling thread cancels the running call and throws
     * {@link InterruptedException}.
     *
     * @param procedure an allow-listed, pattern-checked {@code [schema.]name}: safe in statement text
     */
    void call(String procedure, Lease lease, Map<String, Object> params) throws Exception;
}
