package dev.jobflow.oracle.scripts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * What can be checked about the Oracle scripts without an Oracle server: Flyway's Oracle parser
 * splits each one into the statements we mean (each PL/SQL unit one statement, ended by "/"), in
 * the order the objects depend on each other, and the versions are in lock-step with PostgreSQL.
 */
class OracleScriptsTest {

    /**
     * PostgreSQL migrations already on main but not yet merged into this branch: their Oracle twins
     * exist here. Once merged, each must match by description (checked below); then empty this map.
     */
    private static final Map<String, String> MERGED_ON_MAIN_ONLY = Map.of();

    @Test
    void versionsAndDescriptionsAreInLockStepWithPostgres() {
        TreeMap<String, Path> oracle = OracleScripts.migrations(OracleScripts.ORACLE);
        TreeMap<String, Path> postgres = OracleScripts.migrations(OracleScripts.POSTGRES);

        assertThat(oracle).as("sql/oracle has migrations").isNotEmpty();
        assertThat(oracle.keySet()).as("every PostgreSQL version has its Oracle twin").containsAll(postgres.keySet());
        oracle.forEach((version, file) -> {
            Path twin = postgres.get(version);
            if (twin != null) {
                assertThat(OracleScripts.description(file)).as("description of V" + version)
                        .isEqualTo(OracleScripts.description(twin));
            } else {
                assertThat(MERGED_ON_MAIN_ONLY).as("Oracle V" + version + " has no PostgreSQL twin")
                        .containsEntry(version, OracleScripts.description(file));
            }
        });
    }

    @Test
    void flywaysOracleParserSplitsEachScriptIntoTheIntendedStatements() {
        Map<String, List<String>> expected = Map.ofEntries(Map.entry(
                "1", List.of("create sequence jobs_id_seq", "create table jobs", "create index jobs_queued_ix",
                        "create index jobs_running_ix", "create index jobs_owner_ix", "create index jobs_status_ix",
                        "create sequence jobs_lease_token_seq")),
                Map.entry("2", List.of("begin", "create or replace trigger jobs_enqueue", "create table dispatcher_replicas",
                        "create table dispatch_cycles", "create index dispatch_cycles_replica_ix")),
                Map.entry("3", List.of("create sequence progress_log_id_seq", "create table progress_log",
                        "create index progress_log_room_ix", "create index progress_log_created_ix",
                        "create table progress_stream", "insert into progress_stream", "commit",
                        "create or replace package jobflow_api", "create or replace package body jobflow_api",
                        "create or replace trigger jobs_publish_event")),
                Map.entry("4.1", List.of("create table jobs_claim_lock", "insert into jobs_claim_lock", "commit")),
                Map.entry("4.2", List.of("create or replace package job_lease", "create or replace package body job_lease",
                        "create or replace function job_progress", "create or replace procedure jobflow_demo",
                        "create or replace procedure jobflow_fail")),
                Map.entry("5.1", List.of("alter table progress_stream", "create table progress_api_keys",
                        "create table progress_signing_key", "create or replace procedure progress_send")),
                Map.entry("6", List.of("create table dispatch_cap_slots", "alter table jobs",
                        "create or replace trigger jobs_free_cap_slot")),
                Map.entry("7", List.of("create table job_api_keys")),
                Map.entry("20", List.of("alter table job_api_keys")),
                Map.entry("8", List.of("alter table jobs", "alter table jobs", "alter table jobs",
                        "create or replace package body jobflow_api")),
                Map.entry("12", List.of("create or replace function jobflow_truncate_bytes",
                        "create or replace function job_progress", "create or replace trigger jobs_publish_event",
                        "alter table jobs", "alter table progress_log", "create or replace trigger jobs_enqueue")),
                Map.entry("14", List.of("create table job_runs", "create index job_runs_job_ix",
                        "create or replace trigger jobs_record_run", "alter table jobs", "alter table jobs",
                        "create table job_logs", "create index job_logs_job_ix", "create or replace function jobflow_log",
                        "create or replace function jobflow_set_result")),
                Map.entry("15", List.of("create table maintenance_locks", "insert into maintenance_locks", "commit",
                        "create index jobs_finished_ix", "create index dispatch_cycles_ended_ix",
                        "create index job_unique_keys_expiry_ix")),
                Map.entry("16", List.of("create table audit_log", "create index audit_log_actor_ix",
                        "create index audit_log_at_ix")),
                Map.entry("19", List.of("create or replace package jobflow_aq", "create or replace package body jobflow_aq",
                        "create or replace procedure jobflow_grant_service_user")),
                Map.entry("13", List.of("create table job_queues", "insert into job_queues", "commit",
                        "create table job_queue_slots", "alter table jobs", "alter table jobs", "alter table jobs",
                        "create index jobs_queue_active_ix", "create table job_unique_keys",
                        "create index job_unique_keys_job_ix", "create table job_schedules",
                        "create index job_schedules_due_ix", "create unique index jobs_schedule_fire_uq",
                        "create or replace trigger jobs_enqueue", "update jobs", "commit", "declare",
                        "create or replace trigger jobs_free_queue_slot",
                        "create or replace trigger jobs_release_unique_key",
                        "create or replace package jobflow_schedules", "create or replace package body jobflow_schedules")),
                Map.entry("17", List.of("alter table jobs", "update jobs", "commit",
                        "create or replace trigger jobs_search_text", "begin", "create index jobs_search_ix")),
                Map.entry("18", List.of("alter table job_queues", "create table job_events", "create index job_events_job_ix",
                        "create index job_events_unsent_ix", "create index job_events_hook_ix",
                        "create index job_events_created_ix", "create table job_webhook_deliveries",
                        "create index job_webhook_deliveries_job_ix", "insert into maintenance_locks",
                        "insert into maintenance_locks", "commit", "create or replace trigger jobs_record_event")),
                Map.entry("21", List.of("create table job_types")),
                Map.entry("22", List.of("alter table jobs")),
                Map.entry("23", List.of("alter table progress_log", "create index progress_log_job_owner_ix",
                        "create or replace trigger jobs_publish_event")),
                Map.entry("24", List.of("alter table job_api_keys")),
                Map.entry("25", List.of("comment on table progress_log")),
                Map.entry("26", List.of("comment on table job_events")),
                Map.entry("27", List.of("comment on table jobs")),
                Map.entry("28", List.of("comment on table job_queues")),
                Map.entry("29", List.of("comment on column jobs.status")));

        assertThat(expected.keySet()).as("every Oracle migration has its expected statements here")
                .containsExactlyInAnyOrderElementsOf(OracleScripts.migrations(OracleScripts.ORACLE).keySet());
        OracleScripts.migrations(OracleScripts.ORACLE).forEach((version, file) -> {
            List<String> statements = OracleScripts.statements(file);
            List<String> heads = new ArrayList<>();
            for (String sql : statements) {
                heads.add(head(sql, expected.getOrDefault(version, List.of())));
                assertThat(sql).as("statement of " + file.getFileName()).isNotBlank()
                        .doesNotContain("\n/\n").doesNotEndWith("/");
            }
            if (expected.containsKey(version)) {
                assertThat(heads).as("statements of " + file.getFileName()).containsExactlyElementsOf(expected.get(version));
            }
        });
    }

    @Test
    void everyPlsqlUnitEndsWithItsEndAndASlashLineForSqlPlus() {
        OracleScripts.migrations(OracleScripts.ORACLE).values().forEach(file -> {
            String text = OracleScripts.read(file);
            for (String sql : OracleScripts.statements(file)) {
                String lower = sql.toLowerCase(Locale.ROOT);
                boolean plsql = lower.startsWith("begin") || lower.startsWith("declare")
                        || lower.matches("(?s)create or replace (trigger|package|function|procedure)\\b.*");
                if (plsql) {
                    assertThat(sql).as("PL/SQL unit in " + file.getFileName()).endsWith(";");
                    // In the file the unit is followed by a line holding only "/" (SQL*Plus, SQLcl).
                    int at = text.indexOf(sql);
                    assertThat(at).as("unit found verbatim in " + file.getFileName()).isNotNegative();
                    assertThat(text.substring(at + sql.length())).as("'/' line after the unit in " + file.getFileName())
                            .matches("(?s)[ \\t]*\\n/[ \\t]*(\\n.*)?");
                } else {
                    assertThat(sql).as("plain statement in " + file.getFileName()).doesNotEndWith(";");
                }
            }
        });
    }

    /**
     * No scheduler job and no DBMS_JOB (they take JOB_QUEUE_PROCESSES slots). Only the pure function
     * DBMS_SCHEDULER.EVALUATE_CALENDAR_STRING is called: it checks a calendar expression (V013).
     */
    @Test
    void nothingUsesTheJobQueueOrTheScheduler() {
        for (Path file : OracleScripts.migrations(OracleScripts.ORACLE).values()) {
            for (String sql : OracleScripts.statements(file)) {
                String code = sql.toLowerCase(Locale.ROOT).replaceAll("--[^\n]*", "")
                        .replace("dbms_scheduler.evaluate_calendar_string", "");
                assertThat(code).as("statement of " + file.getFileName())
                        .doesNotContain("dbms_scheduler").doesNotContain("dbms_job");
            }
        }
    }

    @Test
    void uninstallRemovesEveryObjectTheScriptsCreate() {
        String uninstall = OracleScripts.read(OracleScripts.ORACLE.resolve("uninstall.sql")).toLowerCase(Locale.ROOT);
        Pattern created = Pattern.compile(
                "create\\s+(?:or\\s+replace\\s+)?(table|sequence|trigger|package|function|procedure)\\s+(?!body)(\\w+)");
        List<String> objects = new ArrayList<>();
        for (Path file : OracleScripts.migrations(OracleScripts.ORACLE).values()) {
            for (String sql : OracleScripts.statements(file)) {
                Matcher m = created.matcher(sql.toLowerCase(Locale.ROOT));
                if (m.lookingAt()) {
                    objects.add(m.group(2));
                }
            }
        }
        assertThat(objects).contains("jobs", "jobs_enqueue", "jobflow_api", "progress_log", "job_progress",
                "progress_send");
        for (String object : objects) {
            assertThat(uninstall).as("uninstall.sql drops " + object).contains("'" + object + "'");
        }
        assertThat(uninstall).contains("drop_queue_table").contains("'jobflow_dispatch_qt'");
    }

    /** The first words of a statement, matched against the expected heads. */
    private static String head(String sql, List<String> candidates) {
        String normalized = sql.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        for (String candidate : candidates) {
            if (normalized.startsWith(candidate + " ") || normalized.equals(candidate)
                    || normalized.startsWith(candidate + "(")) {
                return candidate;
            }
        }
        return normalized.substring(0, Math.min(60, normalized.length()));
    }
}
