package dev.jobflow.dispatcher.handler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import dev.jobflow.core.params.JobTypeSpec;
import dev.jobflow.core.params.ParamDeclarations;
import dev.jobflow.core.params.ParamSpec;
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
    private final Map<String, List<ParamSpec>> sqlParams = new HashMap<>();
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
        for (Map.Entry<String, String> entry : config.sqlParams().entrySet()) {
            try {
                sqlParams.put(entry.getKey(), ParamDeclarations.parseList(entry.getValue()));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("jobflow.dispatcher.sql-params." + entry.getKey() + ": " + e.getMessage());
            }
        }
    }

    /**
     * What this replica registers: every Java handler's type with its declared parameters, and every
     * allow-listed {@code sql:} procedure with those of {@code jobflow.dispatcher.sql-params}.
     */
    public List<JobTypeSpec> declarations() {
        List<JobTypeSpec> types = new ArrayList<>();
        handlers.forEach((type, handler) -> types.add(new JobTypeSpec(type, handler.params())));
        for (String procedure : new TreeSet<>(config.sqlProcedures())) {
            types.add(new JobTypeSpec(SQL_PREFIX + procedure, sqlParams.get(procedure)));
        }
        return types;
    }

    /** The declaration of {@code type} on this replica: what its jobs' params must be. */
    public JobTypeSpec declaration(String type) {
        if (type.startsWith(SQL_PREFIX)) {
            return new JobTypeSpec(type, sqlParams.get(type.substring(SQL_PREFIX.length())));
        }
        JobHandler handler = handlers.get(type);
        return new JobTypeSpec(type, handler == null ? null : handler.params());
    }

    /** The handler for {@code type}, or a {@link Resolution} carrying why there is none. */
    public Resolution resolve(String type) {
        if (type.startsWith(SQL_PREFIX)) {
            String procedure = type.substring(SQL_PREFIX.length());
            if (!config.sqlProcedures().contains(procedure)) {
                return Resolution.missing("stored procedure '" + procedure
                        + "' is not on the allow-list jobflow.dispatcher.sql-procedures " + config.sqlProcedures());
            }
            return Resolution.found(new SqlProcedureHandler(procedures.get(), procedure), declaration(type));
        }
        JobHandler handler = handlers.get(type);
        if (handler == null) {
            return Resolution.missing("unknown job type '" + type + "': no handler registered (known: "
                    + String.join(", ", handlers.keySet()) + ", sql:<procedure>)");
        }
        return Resolution.found(handler, declaration(type));
    }

    /** Either a handler with its declaration, or the reason there is none (the job then fails at once, no retry). */
    public record Resolution(JobHandler handler, JobTypeSpec declaration, String error) {
        static Resolution found(JobHandler handler, JobTypeSpec declaration) {
            return new Resolution(handler, declaration, null);
        }

        static Resolution missing(String error) {
            return new Resolution(null, null, error);
        }
    }
}
