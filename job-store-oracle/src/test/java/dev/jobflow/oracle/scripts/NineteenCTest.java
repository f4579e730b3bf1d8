package dev.jobflow.oracle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.jobflow.core.store.NamedQueries;

/**
 * What 19c lacks and 23ai has (docs/oracle-install.md, "19c and 23ai"), checked in the scripts and
 * statements without a server: no BOOLEAN in SQL (columns, statements, functions SQL calls), JSON
 * checks that are strict on 19c, and a claim that still works where the array dequeue does not.
 */
class NineteenCTest {
    private static final List<String> STATEMENT_FILES = List.of("jobs.sql", "progress.sql", "replicas.sql", "keys.sql");

    @Test
    void noTableHasABooleanColumn() {
        Pattern column = Pattern.compile("(?i)^\\s*\\w+\\s+boolean\\b", Pattern.MULTILINE);
        for (Path file : OracleScripts.migrations(OracleScripts.ORACLE).values()) {
            for (String statement : OracleScripts.statements(file)) {
                String sql = withoutComments(statement);
                String lower = sql.toLowerCase(Locale.ROOT);
                if (lower.startsWith("create table") || lower.startsWith("alter table")) {
                    assertThat(sql).as(file.getFileName() + ": a BOOLEAN column exists only from 23ai")
                            .doesNotContainPattern(column).doesNotContainIgnoringCase(" boolean");
                }
            }
        }
    }

    @Test
    void noStatementUsesBooleanSqlOrCallsAFunctionReturningBoolean() {
        for (String file : STATEMENT_FILES) {
            NamedQueries.load("db/queries/oracle/" + file).all().forEach((name, sql) -> assertThat(sql.toLowerCase(Locale.ROOT))
                    .as(file + " " + name + ": no SQL BOOLEAN before 23ai")
                    .doesNotContainPattern("\\b(true|false|boolean)\\b")
                    .doesNotContain("job_progress("));
        }
        // Functions that SQL calls return NUMBER (jobflow_log, jobflow_set_result, jobflow_aq's).
        String all = OracleScripts.allOracleText();
        for (String function : List.of("function jobflow_log(", "function jobflow_set_result(",
                "function requeue_orphans(", "function purge_exceptions(")) {
            int at = all.lastIndexOf(function);
            assertThat(at).as(function).isNotNegative();
            String signature = all.substring(at, all.indexOf(" is", all.indexOf(") return", at)));
            assertThat(signature).as(function + " returns NUMBER").contains(") return number");
        }
    }

    @Test
    void theLatestJsonChecksAreStrictObjectChecksThatExistOn19c() {
        String all = withoutComments(OracleScripts.allOracleText());
        assertThat(all).doesNotContain("is json object").doesNotContain("is json(object")
                .contains("params is json strict and substr(ltrim(params")
                .contains("payload is json strict and substr(ltrim(payload")
                .contains("('[' || result || ']') is json (strict)");
        for (String file : STATEMENT_FILES) {
            NamedQueries.load("db/queries/oracle/" + file).all().forEach((name, sql) -> assertThat(sql.toLowerCase(Locale.ROOT))
                    .as(file + " " + name + ": no JSON data type (21c+)").doesNotContainPattern("\\bjson\\s*\\(")
                    .doesNotContain("json_transform"));
        }
    }

    @Test
    void theClaimFallsBackToOneMessageAtATimeWithoutArrayDequeue() throws IOException {
        String dispatch = Files.readString(Path.of("src", "main", "java", "dev", "jobflow", "oracle", "aq",
                "DispatchQueue.java"));
        assertThat(dispatch).contains("catch (SQLFeatureNotSupportedException e)").contains("takeOneByOne(connection");
    }

    private static String withoutComments(String sql) {
        return sql.replaceAll("--[^\n]*", "");
    }

    /** Item 7: a cap's first claim commits its new slot rows before it locks anything. */
    @Test
    void newCapSlotsAreCommittedBeforeTheClaimLocksAnything() throws IOException {
        String claim = Files.readString(Path.of("src", "main", "java", "dev", "jobflow", "oracle", "AqClaim.java"));
        String run = claim.substring(claim.indexOf("List<ClaimedJob> run("), claim.indexOf("private QueueLimit queueLimit("));
        int ensure = run.indexOf("ensureSlots(connection, Slots.GLOBAL");
        int commit = run.indexOf("connection.commit();", ensure);
        int lock = run.indexOf("lockFreeSlots(");
        assertThat(ensure).isPositive();
        assertThat(commit).isBetween(ensure, lock);
        assertThat(claim.substring(claim.indexOf("private List<Integer> lockFreeSlots(")))
                .doesNotContain("ensureSlots(connection, set");
    }
}
