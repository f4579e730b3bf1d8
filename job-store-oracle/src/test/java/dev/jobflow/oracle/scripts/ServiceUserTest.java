package dev.jobflow.oracle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.jobflow.core.store.NamedQueries;
import dev.jobflow.oracle.OracleSchema;
import dev.jobflow.oracle.aq.DispatchQueue;
import dev.jobflow.oracle.testing.SqlPlusScript;

/**
 * A service user that is not the schema owner can run the services (issue 16 item 3), checked
 * without a server: nothing looks the owner's objects up in the session user's own dictionary, every
 * AQ call names the queue with its owner, no statement reads the queue table, and the grants of
 * V019's jobflow_grant_service_user cover every table, sequence and unit the statements use, with
 * the kind of access they need. The Oracle tests (where Docker exists) run as such a user.
 */
class ServiceUserTest {
    private static final Path JAVA = Path.of("src", "main", "java");
    private static final List<String> STATEMENT_FILES = List.of("jobs.sql", "progress.sql", "replicas.sql", "keys.sql");
    private static final Pattern GRANT_ON = Pattern
            .compile("grant_on\\('([a-z, ]+)', sys\\.odcivarchar2list\\(([^)]*)\\)\\)");

    @Test
    void nothingLooksTheObjectsUpInTheSessionUsersOwnDictionary() throws IOException {
        for (String file : STATEMENT_FILES) {
            NamedQueries.load("db/queries/oracle/" + file).all().forEach((name, sql) -> assertThat(sql)
                    .as(file + " " + name).doesNotContainIgnoringCase("user_objects")
                    .doesNotContainIgnoringCase("user_tables").doesNotContainIgnoringCase("user_queues"));
        }
        String writersAlive = NamedQueries.load("db/queries/oracle/progress.sql").get("writers_alive").toLowerCase(Locale.ROOT);
        assertThat(writersAlive).contains("from all_objects").contains("owner = sys_context('userenv', 'current_schema')");
        for (Path file : javaSources()) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContainIgnoringCase("user_objects");
        }
    }

    @Test
    void everyAqCallNamesTheQueueWithItsOwner() throws IOException {
        assertThat(new DispatchQueue("JOBFLOW").queue()).isEqualTo("JOBFLOW.JOBFLOW_DISPATCH_Q");
        assertThat(new OracleSchema("jobflow").owner()).isEqualTo("JOBFLOW");
        Pattern dequeue = Pattern.compile("\\.dequeue\\(([^,]+),");
        int calls = 0;
        for (Path file : javaSources()) {
            Matcher m = dequeue.matcher(Files.readString(file));
            while (m.find()) {
                calls++;
                assertThat(m.group(1).strip()).as(file + ": the queue of a dequeue is the qualified name")
                        .isEqualTo("queue");
            }
        }
        assertThat(calls).as("the claim, the ready watch and the one-by-one fallback dequeue").isEqualTo(3);
        String dispatch = Files.readString(JAVA.resolve("dev/jobflow/oracle/aq/DispatchQueue.java"));
        assertThat(dispatch).contains("this.queue = owner + \".\" + QUEUE;");
    }

    @Test
    void sessionsOfEveryKindWorkInTheOwnersSchema() throws IOException {
        assertThat(new OracleSchema("jobflow").alterSession()).isEqualTo("alter session set current_schema = JOBFLOW");
        assertThat(Files.readString(JAVA.resolve("dev/jobflow/oracle/OracleDatabase.java")))
                .contains(".withConnectHandler(conn -> conn.query(schema.alterSession())");
        assertThat(Files.readString(JAVA.resolve("dev/jobflow/oracle/aq/AqSessions.java")))
                .contains("connection.setSchema(owner);");
        assertThat(Files.readString(JAVA.resolve("dev/jobflow/oracle/OracleProcedureRunner.java")))
                .contains("connection.setSchema(owner);");
    }

    @Test
    void noStatementReadsTheQueueTable() {
        for (String file : STATEMENT_FILES) {
            NamedQueries.load("db/queries/oracle/" + file).all().forEach((name, sql) -> assertThat(sql)
                    .as(file + " " + name).doesNotContainIgnoringCase(DispatchQueue.QUEUE_TABLE));
        }
    }

    /** Every object a statement touches is granted with the access it needs. */
    @Test
    void theServiceUsersGrantsCoverEveryStatement() {
        Map<String, Set<String>> granted = grants();
        Map<String, Set<String>> needed = new HashMap<>();
        Pattern access = Pattern.compile("\\b(delete from|merge into|insert into|update|from|join)\\s+([a-z_]+)\\b"
                + "|\\b([a-z_]+)\\.(nextval|currval)\\b|\\b(jobflow_[a-z_]+|job_lease|job_progress)\\s*[.(]");
        for (String file : STATEMENT_FILES) {
            for (String sql : NamedQueries.load("db/queries/oracle/" + file).all().values()) {
                String lower = sql.toLowerCase(Locale.ROOT);
                Matcher m = access.matcher(lower);
                while (m.find()) {
                    if (lower.substring(Math.max(0, m.start() - 20), m.start()).contains("extract(")) {
                        continue; // extract(day from <interval>), not a table
                    }
                    if (m.group(2) != null) {
                        String kind = switch (m.group(1)) {
                            case "delete from" -> "delete";
                            case "insert into" -> "insert";
                            case "update" -> "update";
                            case "merge into" -> "insert";
                            default -> "select";
                        };
                        need(needed, m.group(2), kind);
                        if (m.group(1).equals("merge into")) {
                            need(needed, m.group(2), "update");
                        }
                    } else if (m.group(3) != null) {
                        need(needed, m.group(3), "select");
                    } else {
                        need(needed, m.group(5), "execute");
                    }
                }
            }
        }
        need(needed, "job_lease", "execute"); // the procedure runner's block sets the claim's token
        Set.of("dual", "v", "all_objects", "json_table", "set", "skip").forEach(needed::remove);
        assertThat(needed).as("what the statements touch").containsKeys("jobs", "progress_log", "maintenance_locks",
                "jobs_lease_token_seq", "progress_log_id_seq", "jobflow_aq", "jobflow_log");
        assertThat(needed.get("jobs")).containsExactlyInAnyOrder("select", "insert", "update", "delete");
        needed.forEach((object, kinds) -> assertThat(granted.getOrDefault(object, Set.of()))
                .as("jobflow_grant_service_user grants on " + object).containsAll(kinds));
    }

    @Test
    void theServiceUserScriptsCreateAndDropTheUserAndGrantThroughTheOwner() {
        List<String> create = SqlPlusScript.run("service_user.sql", "jobflow", "jobflow_app", "secret").stream()
                .map(OracleScripts::withoutLeadingComments).map(s -> s.replaceAll("\\s+", " ").strip()).toList();
        assertThat(create).containsExactly(
                "create user jobflow_app identified by \"secret\"",
                "grant create session to jobflow_app",
                "grant execute on sys.dbms_aq to jobflow_app",
                "grant select on sys.v_$locked_object to jobflow_app",
                "grant select on sys.v_$transaction to jobflow_app",
                "begin jobflow.jobflow_grant_service_user('jobflow_app'); end;");
        assertThat(SqlPlusScript.run("service_user_drop.sql", "jobflow_app").stream()
                .map(OracleScripts::withoutLeadingComments).toList()).containsExactly("drop user jobflow_app cascade");
        assertThat(SqlPlusScript.read(SqlPlusScript.DIR.resolve("service_user.sql"))).contains("set verify off");
        String grant = grantProcedure();
        assertThat(grant).contains("dbms_aqadm.grant_queue_privilege(").contains("privilege    => 'dequeue'")
                .contains("queue_name   => 'jobflow_dispatch_q'").contains("authid definer");
    }

    /** docs/oracle-install.md lists exactly the grants the procedure gives. */
    @Test
    void theGuideListsTheServiceUsersGrants() throws IOException {
        String guide = Files.readString(Path.of("..", "docs", "oracle-install.md"));
        int section = guide.indexOf("### The service user's grants");
        assertThat(section).as("docs/oracle-install.md has a section \"The service user's grants\"").isNotNegative();
        String grantsSection = guide.substring(section, guide.indexOf("\n#", section + 4));
        Map<String, Set<String>> granted = grants();
        Pattern row = Pattern.compile("(?m)^\\| `([a-z_, `]+)` \\| ([a-z, ]+) \\|");
        Map<String, Set<String>> listed = new HashMap<>();
        Matcher m = row.matcher(grantsSection);
        while (m.find()) {
            for (String object : m.group(1).replace("`", "").split(",\\s*")) {
                listed.put(object.strip(), Set.of(m.group(2).strip().split(",\\s*")));
            }
        }
        assertThat(listed).as("the service user's grant table of docs/oracle-install.md").isEqualTo(granted);
        assertThat(guide).contains("dbms_aqadm.grant_queue_privilege").contains("JOBFLOW_STORE_ORACLE_SCHEMA")
                .contains("jobflow.store.oracle.schema");
    }

    private static Map<String, Set<String>> grants() {
        Map<String, Set<String>> granted = new HashMap<>();
        Matcher m = GRANT_ON.matcher(grantProcedure().replaceAll("\\s+", " ").replace("( ", "("));
        while (m.find()) {
            Set<String> kinds = Set.of(m.group(1).split(",\\s*"));
            for (String object : m.group(2).split(",")) {
                String name = object.strip().replace("'", "");
                granted.computeIfAbsent(name, k -> new HashSet<>()).addAll(kinds);
            }
        }
        assertThat(granted).as("grant_on calls of jobflow_grant_service_user").isNotEmpty();
        return granted;
    }

    private static String grantProcedure() {
        String all = OracleScripts.allOracleText();
        int at = all.lastIndexOf("create or replace procedure jobflow_grant_service_user");
        assertThat(at).as("a script defines jobflow_grant_service_user").isNotNegative();
        return all.substring(at, all.indexOf("\n/\n", at));
    }

    private static void need(Map<String, Set<String>> needed, String object, String kind) {
        needed.computeIfAbsent(object, k -> new HashSet<>()).add(kind);
    }

    private static List<Path> javaSources() throws IOException {
        try (Stream<Path> files = Files.walk(JAVA)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }
}
