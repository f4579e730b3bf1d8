package dev.jobflow.oracle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every value cut to fit a column is cut by encoded bytes (issue 16): Oracle's VARCHAR2(4000 CHAR)
 * holds 4,000 bytes, so a cut by characters can still raise ORA-12899. The services cut with
 * ColumnLimits.truncateToBytes, the scripts with jobflow_truncate_bytes; no character cut is left
 * in the store adapters or in the latest definition of job_progress of either dialect.
 */
class ColumnLimitsInBytesTest {
    private static final Path SHARED = Path.of("..", "job-core", "src", "main", "java", "dev", "jobflow", "core", "sql",
            "SqlJobStore.java");
    private static final List<Path> ADAPTERS = List.of(
            Path.of("src", "main", "java", "dev", "jobflow", "oracle", "OracleJobStore.java"),
            Path.of("..", "job-store-postgres", "src", "main", "java", "dev", "jobflow", "postgres", "PgJobStore.java"));

    @Test
    void theAdaptersCutErrorsAndProgressMessagesByBytes() throws IOException {
        assertThat(Files.readString(SHARED)).as("the shared cut")
                .contains("ColumnLimits.truncateToBytes(error, ColumnLimits.ERROR_BYTES)")
                .contains("ColumnLimits.truncateToBytes(message, ColumnLimits.PROGRESS_MESSAGE_BYTES)");
        for (Path adapter : ADAPTERS) {
            String source = Files.readString(adapter);
            assertThat(source).as(adapter.toString())
                    .contains("errorText(failure.error())")
                    .contains("progressText(message)")
                    .doesNotContainPattern("\\.substring\\(0, *max\\)")
                    .doesNotContain("truncate(");
        }
    }

    @Test
    void theLatestJobProgressOfEachDialectCutsItsMessageByBytes() throws IOException {
        Pattern definition = Pattern.compile("(?i)create (or replace )?function job_progress\\b");
        for (Path dialect : List.of(OracleScripts.ORACLE, OracleScripts.POSTGRES)) {
            String latest = null;
            for (Path script : OracleScripts.migrations(dialect).values()) {
                String text = Files.readString(script);
                if (definition.matcher(text).find()) {
                    latest = text.substring(text.toLowerCase().indexOf("function job_progress"));
                }
            }
            assertThat(latest).as(dialect + ": a script defines job_progress").isNotNull();
            assertThat(latest).as(dialect + ": the latest job_progress")
                    .contains("progress_message = jobflow_truncate_bytes(p_message, 1000)");
        }
    }

    /** Every other value the shared store cuts to a column (log lines, audit detail, schedule errors) too. */
    @Test
    void everyCutOfTheSharedStoreIsByBytes() throws IOException {
        String shared = Files.readString(SHARED);
        assertThat(shared).doesNotContainPattern("\\.substring\\(0,")
                .contains("ColumnLimits.truncateToBytes(message == null ? \"\"")
                .contains("ColumnLimits.truncateToBytes(e.detail(), ColumnLimits.ERROR_BYTES)")
                .contains("ColumnLimits.truncateToBytes(e.getMessage(), 1000)");
        String latestLog = OracleScripts.allOracleText();
        latestLog = latestLog.substring(latestLog.lastIndexOf("create or replace function jobflow_log"));
        assertThat(latestLog.substring(0, latestLog.indexOf("\n/\n")))
                .contains("jobflow_truncate_bytes(nvl(p_message, ' '), 2000)").doesNotContain("substr(p_message");
    }
}
