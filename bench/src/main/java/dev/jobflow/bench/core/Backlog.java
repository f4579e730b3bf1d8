package dev.jobflow.bench.core;

import java.sql.SQLException;

/** Preloads a backlog of jobs in one statement (the progress trigger still fires for each row). */
public final class Backlog {

    private Backlog() {
    }

    public static void preload(BenchStack stack, int jobs, String type, String paramsJson) throws SQLException {
        stack.execute("insert into jobs (name, owner, type, params) select 'bench-' || g, 'bench', '" + type + "', '"
                + paramsJson.replace("'", "''") + "'::jsonb from generate_series(1, " + jobs + ") g");
        stack.execute("analyze jobs");
    }

    /** Whether every job reached COMPLETED exactly once (attempts = 1). */
    public static String verifyAllCompletedOnce(BenchStack stack, int jobs) throws SQLException {
        long completed = stack.count("select count(*) from jobs where status = 'COMPLETED'");
        long retried = stack.count("select count(*) from jobs where attempts <> 1");
        return completed == jobs && retried == 0 ? "ok"
                : "MISMATCH: " + completed + " of " + jobs + " completed, " + retried + " with attempts <> 1";
    }
}
