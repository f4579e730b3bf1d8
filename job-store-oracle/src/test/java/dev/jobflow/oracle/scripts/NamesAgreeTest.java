package dev.jobflow.oracle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.oracle.aq.DispatchQueue;

/**
 * The Java side and the scripts agree on names: the queue objects, the tables and sequences the
 * statements use, and the statement names (the same as PostgreSQL's, plus the marked Oracle-only
 * ones, and every name the adapter asks for exists).
 */
class NamesAgreeTest {
    private static final Path JAVA = Path.of("src", "main", "java");
    private static final Path SHARED_SQL = Path.of("..", "job-core", "src", "main", "java", "dev", "jobflow", "core", "sql");
    /**
     * Statements the progress hub added to sql/postgres/queries/progress.sql on main, not yet merged
     * into this branch; their Oracle twins exist here. Empty this set once merged.
     */
    private static final Set<String> MERGED_ON_MAIN_ONLY = Set.of();

    @Test
    void theQueueObjectsTheAdapterUsesAreTheOnesTheScriptsCreate() {
        String scripts = OracleScripts.allOracleText();
        assertThat(scripts).contains("queue_table        => '" + DispatchQueue.QUEUE_TABLE.toLowerCase(Locale.ROOT) + "'");
        assertThat(scripts).contains("queue_name     => '" + DispatchQueue.QUEUE.toLowerCase(Locale.ROOT) + "'");
        assertThat(scripts).contains("queue_name  => '" + DispatchQueue.EXCEPTION_QUEUE.toLowerCase(Locale.ROOT) + "'");
        assertThat(scripts).contains("queue_payload_type => '" + DispatchQueue.PAYLOAD_TYPE.toLowerCase(Locale.ROOT) + "'");
        // The trigger enqueues to the queue the claim dequeues from, with that exception queue.
        assertThat(scripts).contains("queue_name         => '" + DispatchQueue.QUEUE.toLowerCase(Locale.ROOT) + "'");
        assertThat(scripts).contains("exception_queue := '" + DispatchQueue.EXCEPTION_QUEUE.toLowerCase(Locale.ROOT) + "'");
        // The orphan re-queue and the exception-queue purge read the queue table as its owner (V019).
        assertThat(scripts).contains("from " + DispatchQueue.QUEUE_TABLE.toLowerCase(Locale.ROOT))
                .contains("q_name = '" + DispatchQueue.QUEUE.toLowerCase(Locale.ROOT) + "'")
                .contains("q_name = '" + DispatchQueue.EXCEPTION_QUEUE.toLowerCase(Locale.ROOT) + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = { "jobs.sql", "progress.sql", "keys.sql" })
    void everyPostgresStatementHasAnOracleTwinOfTheSameName(String file) {
        Map<String, String> postgres = NamedQueries.load("db/queries/postgres/" + file).all();
        Map<String, String> oracle = NamedQueries.load("db/queries/oracle/" + file).all();
        String postgresText = read(OracleScripts.SQL.resolve("postgres").resolve("queries").resolve(file));
        // A PostgreSQL-only statement says so (e.g. a set-based batch Oracle does row by row)
        Set<String> shared = postgres.keySet().stream().filter(name -> !postgresText.substring(postgresText.indexOf(
                "-- name: " + name + "\n")).split("\n")[1].startsWith("-- postgres only")).collect(Collectors.toSet());
        assertThat(oracle.keySet()).as("statements of sql/oracle/queries/" + file).containsAll(shared);

        String text = read(OracleScripts.ORACLE.resolve("queries").resolve(file));
        for (String name : oracle.keySet()) {
            if (!postgres.containsKey(name) && !MERGED_ON_MAIN_ONLY.contains(name)) {
                String comment = text.substring(text.indexOf("-- name: " + name + "\n"));
                assertThat(comment.split("\n")[1]).as("Oracle-only statement " + name + " says so")
                        .startsWith("-- oracle only");
            }
            assertThat(oracle.get(name)).as(name + " is one SQL statement, not PL/SQL").doesNotContain(";")
                    .doesNotContainPattern("(?i)^\\s*(begin|declare)\\b").doesNotContainPattern("\\$\\d");
        }
    }

    @Test
    void everyStatementTheAdapterAsksForExists() throws IOException {
        Map<String, String> jobs = NamedQueries.load("db/queries/oracle/jobs.sql").all();
        Map<String, String> progress = NamedQueries.load("db/queries/oracle/progress.sql").all();
        Map<String, String> replicas = NamedQueries.load("db/queries/oracle/replicas.sql").all();
        Map<String, String> keys = NamedQueries.load("db/queries/oracle/keys.sql").all();
        Pattern asked = Pattern
                .compile("(?:(?:SQL\\.get|sql\\.get|fenced|leaseUpdate|query|changeJob)\\(|run\\([a-z]+, )\"([a-z_]+)\"");
        Set<String> used = new HashSet<>();
        // the adapter, and the shared SQL classes of job-core that run the same names on both backends
        try (Stream<Path> files = Stream.concat(Files.walk(JAVA), Files.walk(SHARED_SQL))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher m = asked.matcher(read(file));
                while (m.find()) {
                    used.add(m.group(1));
                    String owner = file.getFileName().toString();
                    Map<String, String> source = owner.contains("Progress") ? progress
                            : owner.contains("Replica") ? replicas : owner.contains("Credentials") ? keys : jobs;
                    assertThat(source).as(owner + " asks for statement " + m.group(1)).containsKey(m.group(1));
                }
            }
        }
        assertThat(used).contains("claim_jobs", "submit_job", "reap_expired_leases", "publish", "published_offset",
                "read_tail", "writers_alive");
        // job-core's SqlReplicaDirectory serves both backends with the backend's replicas.sql
        assertThat(replicas).containsKey("list_replicas");
    }

    @Test
    void theTablesAndSequencesTheStatementsUseAreCreatedByTheScripts() {
        String scripts = OracleScripts.allOracleText();
        Pattern referenced = Pattern.compile("\\b(?:from|into|update|merge into)\\s+([a-z_]+)|([a-z_]+)\\.nextval");
        for (String file : List.of("jobs.sql", "progress.sql", "replicas.sql", "keys.sql")) {
            for (String sql : NamedQueries.load("db/queries/oracle/" + file).all().values()) {
                String lower = sql.toLowerCase(Locale.ROOT);
                Matcher m = referenced.matcher(lower);
                while (m.find()) {
                    String name = m.group(1) != null ? m.group(1) : m.group(2);
                    if (lower.substring(Math.max(0, m.start() - 20), m.start()).contains("extract(")) {
                        continue; // extract(day from <interval>), not a table
                    }
                    if (Set.of("dual", "set", "skip", "v", "all_objects", "json_table").contains(name)) {
                        continue; // Oracle's own (dual, v$, all_objects, json_table); keywords
                    }
                    assertThat(scripts).as(file + " uses " + name)
                            .containsPattern("create (table|sequence) " + name + "\\b");
                }
            }
        }
    }

    @Test
    void theDatabaseApiHasTheProceduresTheDocsName() {
        String scripts = OracleScripts.allOracleText();
        for (String unit : List.of("procedure publish", "procedure send", "function submit_job", "procedure demo_job")) {
            assertThat(scripts).as("jobflow_api has " + unit).contains(unit);
        }
        assertThat(scripts).contains("pragma autonomous_transaction");
        String guide = read(Path.of("..", "docs", "oracle-install.md")).toLowerCase(Locale.ROOT);
        assertThat(guide).contains("jobflow_api.submit_job").contains("jobflow_api.send")
                .contains("jobflow_api.demo_job").contains("uninstall.sql");
        // The test schema of the Oracle tests is created with exactly the grants of the guide.
        for (String grant : dev.jobflow.oracle.testing.OracleTestSchema.GRANTS) {
            assertThat(guide).as("the guide grants what the tests install with").contains(grant + ";");
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
