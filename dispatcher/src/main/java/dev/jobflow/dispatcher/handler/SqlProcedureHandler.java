package dev.jobflow.dispatcher.handler;

import dev.jobflow.core.store.ProcedureRunner;

/**
 * Runs job type {@code sql:<procedure>} through the backend's {@link ProcedureRunner}: the
 * procedure gets the job id and the parameters, reports progress with {@code job_progress} under
 * the claim's fencing token, and may commit between steps. A cancel, lease loss or drain interrupts
 * the handler, which cancels the running call.
 */
final class SqlProcedureHandler implements JobHandler {
    private final ProcedureRunner runner;
    private final String procedure;

    /** @param procedure an allow-listed, pattern-checked name: safe to put in the statement text */
    SqlProcedureHandler(ProcedureRunner runner, String procedure) {
        this.runner = runner;
        this.procedure = procedure;
    }

    @Override
    public String type() {
        return HandlerRegistry.SQL_PREFIX + procedure;
    }

    @Override
    public Object run(JobContext context) throws Exception {
        runner.call(procedure, context.lease(), context.params());
        context.heartbeat(); // learn of a cancel the procedure honoured by returning early
        return null; // a procedure sets its result itself (jobflow_set_result); completing keeps it
    }
}
