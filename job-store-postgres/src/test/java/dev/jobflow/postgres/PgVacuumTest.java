package dev.jobflow.postgres;

import static dev.jobflow.testing.Await.await;
import static dev.jobflow.testing.Await.until;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.PruneResult;
import dev.jobflow.core.model.RetentionPolicy;
import dev.jobflow.testing.StoreFixture;
import dev.jobflow.testing.contract.BackendContract;

/**
 * On a server whose autovacuum is off, what retention prunes is vacuumed, so the tables stay
 * bounded in bytes too (found by {@code bin/bench soak}: rows flat, bytes growing). Skipped where
 * autovacuum is on: there the server vacuums, and takes the queue tables early.
 */
class PgVacuumTest extends BackendContract {

    PgVacuumTest() {
        super("vacuum");
    }

    @Override
    protected StoreFixture openFixture(String purpose) {
        return PgStoreFixture.open(purpose);
    }

    private String setting(String sql) {
        return await(fixture().pool().query(sql).execute()).iterator().next().getValue(0).toString();
    }

    private long vacuums(String table) {
        // each query is a transaction of its own: it sees the statistics as they are now
        return Long.parseLong(setting("select vacuum_count from pg_stat_user_tables where relname = '" + table + "'"));
    }

    @Test
    void autovacuumTakesTheQueueTablesOnceOnePercentOfTheirRowsAreDead() {
        // V029: a claim reads jobs_queued_ix, and the outbox job_events_unsent_ix, from the start, over
        // the entries of rows that left them until VACUUM removes those; at PostgreSQL's default (20 %)
        // a large jobs table collects hundreds of thousands first
        for (String table : List.of("jobs", "job_events")) {
            assertThat(setting("select coalesce(array_to_string(reloptions, ','), 'none') from pg_class where oid = '" + table
                    + "'::regclass"))
                    .as(table).contains("autovacuum_vacuum_scale_factor=0.01", "autovacuum_vacuum_threshold=1000",
                            "autovacuum_analyze_scale_factor=0.02");
        }
    }

    @Test
    void whatRetentionPrunesIsVacuumedWhenAutovacuumIsOff() {
        assumeTrue(setting("select current_setting('autovacuum')").equals("off"), "autovacuum is on: the server vacuums");
        long jobId = await(store().submitJob(NewJob.of("old", "alice", "noop", Map.of()))).job().id();
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, Duration.ofSeconds(30)))).get(0);
        await(store().completeJob(claimed.lease(), null));
        fixture().update("update jobs set finished_at = finished_at - interval '10' day where id = ?", jobId);
        long before = vacuums("jobs");

        PruneResult pruned = await(store().prune(new RetentionPolicy(Duration.ofDays(7), 1000, Duration.ofDays(1),
                Duration.ofDays(1), Duration.ofDays(1), 100)));

        assertThat(pruned.jobs()).isEqualTo(1);
        until("jobs vacuumed after the pass", Duration.ofSeconds(10), () -> vacuums("jobs") > before);
        long progressBefore = vacuums("progress_log");
        assertThat(await(progressLog().trim(Duration.ofMillis(1), 1))).isPositive();
        until("progress_log vacuumed after the trim", Duration.ofSeconds(10),
                () -> vacuums("progress_log") > progressBefore);
    }
}
