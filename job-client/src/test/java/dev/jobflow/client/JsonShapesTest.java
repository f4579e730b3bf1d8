package dev.jobflow.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The JSON shapes tolerate what a newer server adds; errors keep every problem member. */
class JsonShapesTest {

    @Test
    void aJobWithMembersAndAStatusThisClientDoesNotKnowStillReads() throws Exception {
        Job job = Json.read("""
                {"id": 7, "name": "n", "owner": "alice", "type": "demo", "params": {"duration": 2},
                 "status": "PAUSED", "progressPct": 40, "createdAt": "2026-11-28T10:00:00.123456Z",
                 "startedAt": "2026-11-28T11:00:00+01:00", "finishedAt": null, "shard": 3, "labels": {"a": [1]}}""",
                Job.class);
        assertThat(job.id()).isEqualTo(7);
        assertThat(job.status()).isEqualTo(JobStatus.UNKNOWN);
        assertThat(job.isTerminal()).isFalse();
        assertThat(job.params()).containsEntry("duration", 2);
        assertThat(job.createdAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00.123456Z"));
        assertThat(job.startedAt()).isEqualTo(Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(job.finishedAt()).isNull();

        JobPage page = Json.read("{\"items\": [{\"id\": 1, \"status\": \"QUEUED\"}], \"nextBeforeId\": 1, \"total\": 9}",
                JobPage.class);
        assertThat(page.items()).extracting(Job::status).containsExactly(JobStatus.QUEUED);
        assertThat(page.hasNext()).isTrue();
    }

    @Test
    void aProblemKeepsItsMembersAndANonProblemBodyStillMakesAnException() {
        JobflowException problem = JobflowClient.problem(400, """
                {"type": "about:blank", "title": "Invalid request", "status": 400, "detail": "1 field(s) are invalid",
                 "errors": [{"field": "type", "message": "may contain only a-z"}], "traceId": "abc"}""");
        assertThat(problem.status()).isEqualTo(400);
        assertThat(problem.title()).isEqualTo("Invalid request");
        assertThat(problem.detail()).isEqualTo("1 field(s) are invalid");
        assertThat(problem.errors()).containsExactly(Map.of("field", "type", "message", "may contain only a-z"));
        assertThat(problem.extras()).containsOnlyKeys("errors", "traceId");
        assertThat(problem.getMessage()).isEqualTo("400 Invalid request: 1 field(s) are invalid");

        JobflowException gateway = JobflowClient.problem(502, "<html>Bad Gateway</html>");
        assertThat(gateway.status()).isEqualTo(502);
        assertThat(gateway.title()).isEqualTo("HTTP 502");
        assertThat(gateway.detail()).isEqualTo("<html>Bad Gateway</html>");
        assertThat(gateway.extras()).isEmpty();
        assertThat(gateway.errors()).isEqualTo(List.of());
    }
}
