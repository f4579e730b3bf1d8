package dev.jobflow.testing.contract;

import static dev.jobflow.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.jobflow.core.model.ClaimRequest;
import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Failure;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.model.JobPage;
import dev.jobflow.core.model.JobQuery;
import dev.jobflow.core.model.JobStatus;
import dev.jobflow.core.model.NewJob;

/**
 * The job search (issue 14), for every backend: {@code JobQuery.search} finds the jobs whose name,
 * type, params or error contain the text, ignoring case, nothing else (not across two fields, not
 * a word of the text alone), newest first, with the list's filters and keyset paging.
 */
public abstract class SearchContract extends BackendContract {

    protected SearchContract() {
        super("search");
    }

    private Job submit(String name, String owner, String type, Map<String, Object> params) {
        return await(store().submitJob(NewJob.of(name, owner, type, params).withMaxAttempts(1))).job();
    }

    private List<Long> search(String text) {
        return ids(await(store().listJobs(new JobQuery(null, null, text, null, 50))));
    }

    private static List<Long> ids(JobPage page) {
        return page.items().stream().map(Job::id).toList();
    }

    @Test
    void findsTheTextInEachOfTheFourFieldsIgnoringCase() {
        Job byError = submit("d", "alice", "fail", Map.of());
        ClaimedJob claimed = await(store().claimJobs(ClaimRequest.of("d1", 1, Duration.ofSeconds(30)))).get(0);
        assertThat(claimed.job().id()).isEqualTo(byError.id());
        await(store().failJob(claimed.lease(), Failure.withoutRetry("Timeout talking to Warehouse-7")));
        Job byName = submit("Nightly Ledger Load", "alice", "demo", Map.of());
        Job byType = submit("b", "alice", "ReportExport", Map.of());
        Job byParams = submit("c", "alice", "demo", Map.of("customer", "Zebracorp Ltd"));
        Job literal = submit("50% off_sale", "alice", "demo", Map.of());
        Job other = submit("alpha", "alice", "beta", Map.of("k", "plain"));

        assertThat(search("LEDGER")).containsExactly(byName.id());
        assertThat(search("reportexp")).containsExactly(byType.id());
        assertThat(search("zebraCORP")).as("a params value").containsExactly(byParams.id());
        assertThat(search("warehouse-7")).as("the error, set after the insert").containsExactly(byError.id());
        assertThat(search("talking to WAREHOUSE")).as("several words, as one substring").containsExactly(byError.id());
        assertThat(search("ledger night")).as("every word occurs, not the text").isEmpty();
        assertThat(search("alphabeta")).as("not across name and type").isEmpty();
        assertThat(search("alpha beta")).as("not across name and type").isEmpty();
        assertThat(search("0% off_s")).as("% and _ are literal").containsExactly(literal.id());
        assertThat(search("%")).containsExactly(literal.id());
        assertThat(search("_")).containsExactly(literal.id());
        assertThat(search("ha")).as("shorter than an index term").containsExactly(other.id());
        assertThat(search("no such job anywhere")).isEmpty();
    }

    @Test
    void composesWithTheListFiltersAndKeysetPaging() {
        List<Long> alices = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            alices.add(0, submit("Needle " + i, "alice", "demo", Map.of()).id());
        }
        Job bobs = submit("needle of bob", "bob", "demo", Map.of());
        submit("haystack", "alice", "demo", Map.of());
        await(store().cancelJob(alices.get(0)));
        await(store().cancelJob(alices.get(2)));

        assertThat(await(store().listJobs(new JobQuery(null, "alice", "NEEDLE", null, 50))).items())
                .extracting(Job::id).containsExactlyElementsOf(alices);
        assertThat(await(store().listJobs(new JobQuery(JobStatus.CANCELLED, "alice", "needle", null, 50))).items())
                .extracting(Job::id).containsExactly(alices.get(0), alices.get(2));
        assertThat(search("needle")).as("newest first").first().isEqualTo(bobs.id());

        List<Long> walked = new ArrayList<>();
        Long before = null;
        do {
            JobPage page = await(store().listJobs(new JobQuery(null, "alice", "needle", before, 2)));
            assertThat(page.items()).hasSizeLessThanOrEqualTo(2);
            walked.addAll(ids(page));
            before = page.nextBeforeId();
        } while (before != null);
        assertThat(walked).containsExactlyElementsOf(alices);
    }
}
