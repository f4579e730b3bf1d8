package dev.jobflow.dispatcher.events;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

import dev.jobflow.core.model.WebhookCall;
import dev.jobflow.core.model.WebhookResult;
import dev.jobflow.core.store.EventOutbox;
import dev.jobflow.dispatcher.config.DispatcherConfig;
import dev.jobflow.dispatcher.run.RetryPolicy;

/**
 * Delivers the events of queues that have a webhook: every {@code webhooks.interval} a pass, run by
 * one replica at a time (the database decides), POSTs each due event (the first pending one of each
 * job) to its queue's URL, signed ({@link WebhookSignature}); a 2xx answer delivers it, anything
 * else is retried with exponential backoff and jitter until {@code webhooks.max-attempts}. Every
 * attempt is recorded with the job (GET /api/v1/jobs/{id}/webhooks). The secret is never logged.
 */
@ApplicationScoped
public class WebhookRelay {
    private static final Logger LOG = Logger.getLogger(WebhookRelay.class);
    static final int MAX_PASSES = 10;

    private final EventOutbox outbox;
    private final DispatcherConfig.Webhooks config;
    private final RetryPolicy backoff;
    private final HttpClient http;
    private final MeterRegistry registry;

    WebhookRelay(EventOutbox outbox, DispatcherConfig config, MeterRegistry registry) {
        this.outbox = outbox;
        this.config = config.webhooks();
        this.backoff = new RetryPolicy(this.config.backoffBase(), this.config.backoffMax());
        this.http = HttpClient.newBuilder().connectTimeout(this.config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        this.registry = registry;
    }

    /** Delivers until nothing more is due (or another replica delivers); blocking. */
    public void run() {
        Duration passTimeout = config.timeout().multipliedBy(config.batch()).plusSeconds(30);
        try {
            for (int pass = 0; pass < MAX_PASSES; pass++) {
                int calls = outbox.relayWebhooks(config.batch(), config.maxAttempts(), backoff::delayAfter, this::deliver)
                        .await().atMost(passTimeout);
                if (calls < config.batch()) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("webhook pass failed (next interval): %s", e.getMessage());
        }
    }

    private Uni<WebhookResult> deliver(WebhookCall call) {
        String body = call.event().toJson();
        long now = System.currentTimeMillis() / 1000;
        HttpRequest request = HttpRequest.newBuilder(URI.create(call.url()))
                .timeout(config.timeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "jobflow-webhooks")
                .header(WebhookSignature.EVENT_HEADER, call.event().event())
                .header(WebhookSignature.EVENT_ID_HEADER, String.valueOf(call.event().id()))
                .header(WebhookSignature.ATTEMPT_HEADER, String.valueOf(call.attempt()))
                .header(WebhookSignature.HEADER, WebhookSignature.sign(call.secret(), now, body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(response -> new WebhookResult(response.statusCode(),
                        response.statusCode() / 100 == 2 ? null : "HTTP " + response.statusCode()))
                .onFailure().recoverWithItem(failure -> new WebhookResult(null, failure.getClass().getSimpleName()
                        + (failure.getMessage() == null ? "" : ": " + failure.getMessage())))
                .invoke(result -> {
                    registry.counter("jobflow.webhooks.deliveries", "outcome", result.delivered() ? "delivered" : "failed")
                            .increment();
                    if (!result.delivered()) {
                        LOG.debugf("webhook of job %d (event %d, attempt %d) to %s failed: %s", call.event().jobId(),
                                call.event().id(), call.attempt(), call.url(), result.error());
                    }
                });
    }
}
