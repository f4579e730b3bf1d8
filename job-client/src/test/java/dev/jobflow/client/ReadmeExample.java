package dev.jobflow.client;

import java.time.Duration;

/**
 * The README's "Java client" example, compiled with the tests and run against real services by
 * {@link JobflowClientIT}; {@link ReadmeExampleTest} checks that the README shows exactly the region between
 * the markers.
 */
final class ReadmeExample {
    private ReadmeExample() {
    }

    static void run(String apiUrl, String hubUrl, String apiKey) throws Exception {
        // README:java-client:begin
        try (JobflowClient client = JobflowClient.builder()
                .apiUrl(apiUrl) // job-api, e.g. http://localhost:8080
                .hubUrl(hubUrl) // progress-hub, e.g. http://localhost:8082 (optional)
                .apiKey(apiKey) // a job-api key (see "Who may read and write")
                .hubUser("alice") // whose hub token subscriptions use (an API key must name one)
                .build()) {
            Job job = client.submit(SubmitRequest.builder("nightly load", "demo").owner("alice")
                    .param("duration", 2).param("step", 0.5)
                    .idempotencyKey("nightly-load-2026-11-28") // a retry returns this job, never a second one
                    .build());
            try (ProgressSubscription progress = client.subscribe(job.id(),
                    event -> System.out.println(event.offset() + ": " + (event.isProgress()
                            ? event.pct() + "% " + event.status()
                            : "log " + event.log())))) {
                Job done = client.awaitCompletion(job.id(), Duration.ofMinutes(5));
                System.out.println(done.status() + " after " + done.attempts() + " attempt(s)");
            }
            ListQuery query = ListQuery.all().owner("alice").limit(20); // newest first
            for (JobPage page = client.list(query);; page = client.list(query.after(page))) {
                page.items().forEach(j -> System.out.println(j.id() + " " + j.name() + " " + j.status()));
                if (!page.hasNext()) {
                    break;
                }
            }
        } catch (JobflowException e) { // every HTTP error, with the problem+json members
            System.err.println(e.status() + " " + e.title() + ": " + e.detail() + " " + e.extras());
        }
        // README:java-client:end
    }
}
