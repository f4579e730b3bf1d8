package dev.jobflow.dispatcher.handler;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.dispatcher.config.DispatcherConfig;

/**
 * Finds the handler of a job type: a {@link JobHandler} bean of that type, or for
 * {@code sql:<procedure>} the stored-procedure handler when the procedure is on the allow-list
 * (run by the backend's {@link ProcedureRunner}: PostgreSQL or Oracle).
 */
@ApplicationScoped
public class HandlerRegistry {
    public static final String SQL_PREFIX = "sql:";
    private static final Pattern PROCEDURE_NAME = Pattern.compile("[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?");

    private final Map<String, JobHandler> handlers = new TreeMap<>();
    private final DispatcherConfig config;
    /** Asked for only when an {@code sql:} job runs. */
    private final Instance<ProcedureRunner> procedures;

    HandlerRegistry(Instance<JobHandler> beans, DispatcherConfig config, Instance<ProcedureRunner> procedures) {
        this.config = config;
        this.procedures = procedures;
        for (JobHandler handler : beans) {
            JobHandler previous = handlers.put(handler.type(), handler);
            if (previous != null) {
                throw new IllegalStateException("two handlers for job type '" + handler.type() + "': "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
        for (String procedure : config.sqlProcedures()) {
            if (!PROCEDURE_NAME.matcher(procedure).matches()) {
                throw new IllegalStateException("jobflow.dispatcher.sql-procedures: '" + procedure
                        + "' is not a plain lower-case [schema.]name");
            }
        }
    }

    /** The handler for {@code type}, or a {@link Resolution} carrying why there is none. */
    public Resolution resolve(String type) {
        if (type.startsWith(SQL_PREFIX)) {
            String procedure = type.substring(SQL_PREFIX.length());
            if (!config.sqlProcedures().contains(procedure)) {
                return Resolution.missing("stored procedure '" + procedure
                        + "' is not on the allow-list jobflow.dispatcher.sql-procedures " + config.sqlProcedures());
            }
            return Resolution.found(new SqlProcedureHandler(procedures.get(), procedure));
        }
        JobHandler handler = handlers.get(type);
        if (handler == null) {
            return Resolution.missing("unknown job type '" + type + "': no handler registered (known: "
                    + String.join(", ", handlers.keySet()) + ", sql:<procedure>)");
        }
        return Resolution.found(handler);
    }

    /** Either a handler or the reason there is none (the job then fails at once, no retry). */
    public record Resolution(JobHandler handler, String error) {
        static Resolution found(JobHandler handler) {
            return new Resolution(handler, null);
        }

        static Resolution missing(String error) {
            return new Resolution(null, error);
        }
    }
}
