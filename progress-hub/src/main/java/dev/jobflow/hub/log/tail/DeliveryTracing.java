package dev.jobflow.hub.log.tail;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;

import dev.jobflow.core.model.LogEntry;
import dev.jobflow.core.tracing.TraceParent;

/**
 * The hub's part of a job's trace: a {@code jobflow deliver} span per job event the tailer fans out,
 * from the row's write (its {@code created_at}) to the fan-out, under the span that submitted the job
 * (the row carries the job's traceparent, V023). Off (the OpenTelemetry SDK disabled, the default),
 * or for rows of no traced job, it returns at once.
 */
@ApplicationScoped
public class DeliveryTracing {
    static final String SPAN = "jobflow deliver";
    private final Tracer tracer;

    DeliveryTracing(OpenTelemetry otel,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean disabled) {
        this.tracer = disabled ? null : otel.getTracer("dev.jobflow.hub");
    }

    void delivered(LogEntry entry, int subscriptions) {
        if (tracer == null || entry.traceParent() == null) {
            return;
        }
        Instant now = Instant.now();
        Instant written = entry.createdAt() == null || entry.createdAt().isAfter(now) ? now : entry.createdAt();
        SpanBuilder span = tracer.spanBuilder(SPAN).setSpanKind(SpanKind.PRODUCER)
                .setParent(TraceParent.parent(entry.traceParent())).setStartTimestamp(written)
                .setAttribute("jobflow.hub.offset", entry.offset())
                .setAttribute("jobflow.hub.room", entry.room())
                .setAttribute("jobflow.hub.subscriptions", subscriptions);
        if (entry.payload().getValue("job_id") instanceof Number id) {
            span.setAttribute("jobflow.job.id", id.longValue());
        }
        span.startSpan().end(now);
    }
}
