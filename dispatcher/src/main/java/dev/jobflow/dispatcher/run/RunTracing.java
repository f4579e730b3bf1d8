package dev.jobflow.dispatcher.run;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

import dev.jobflow.core.model.ClaimedJob;
import dev.jobflow.core.model.Job;
import dev.jobflow.core.tracing.TraceParent;
import dev.jobflow.dispatcher.handler.JobSpan;

/**
 * The dispatcher's spans of a job, in the trace its submit began (the job row's {@code trace_parent}):
 * {@code jobflow claim} (from the claim's start to its end), under it {@code jobflow run <type>} for the
 * attempt, under that a {@code jobflow progress} span per progress write and the handler's own spans.
 * Off (the OpenTelemetry SDK disabled, the default) every method returns at once: no span, no clock
 * read, no context per job.
 */
@ApplicationScoped
public class RunTracing {
    static final String JOB_ID = "jobflow.job.id";
    private final Tracer tracer;

    RunTracing(OpenTelemetry otel,
            @ConfigProperty(name = "quarkus.otel.sdk.disabled", defaultValue = "true") boolean disabled) {
        this.tracer = disabled ? null : otel.getTracer("dev.jobflow.dispatcher");
    }

    /** A tracing that is off (tests of the run without a container). */
    public static RunTracing off() {
        return new RunTracing(OpenTelemetry.noop(), true);
    }

    public boolean enabled() {
        return tracer != null;
    }

    /** When a claim began, or null when tracing is off. */
    public Instant claimStarted() {
        return tracer == null ? null : Instant.now();
    }

    /**
     * Records the claim of {@code claimed} (a span from {@code started} to now under its submit's span)
     * and returns the context its run goes under; null when tracing is off.
     */
    Context claimed(ClaimedJob claimed, Instant started) {
        if (tracer == null) {
            return null;
        }
        Job job = claimed.job();
        Span claim = tracer.spanBuilder("jobflow claim").setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceParent.parent(claimed.traceParent()))
                .setStartTimestamp(started == null ? Instant.now() : started)
                .setAttribute(JOB_ID, job.id()).setAttribute("jobflow.queue", job.queue())
                .setAttribute("jobflow.attempt", job.attempts()).startSpan();
        claim.end();
        return Context.root().with(claim);
    }

    /** The span of one attempt, started under the claim's context. */
    Span run(Context claim, Job job) {
        return tracer.spanBuilder("jobflow run " + job.type()).setParent(claim)
                .setAttribute(JOB_ID, job.id()).setAttribute("jobflow.job.type", job.type())
                .setAttribute("jobflow.attempt", job.attempts()).startSpan();
    }

    /** Ends an attempt's span with its outcome (an error status unless it completed or was handed back). */
    static void ended(Span run, Outcome outcome, String error) {
        run.setAttribute("jobflow.outcome", outcome.name());
        if (outcome != Outcome.COMPLETED && outcome != Outcome.RELEASED) {
            run.setStatus(StatusCode.ERROR, error == null ? outcome.name() : error);
        }
        run.end();
    }

    /** A span under the current one (the run's, or a handler span around it), current until closed. */
    JobSpan child(String name, Context run) {
        Context parent = Span.current().getSpanContext().isValid() ? Context.current() : run;
        Span span = tracer.spanBuilder(name).setParent(parent).startSpan();
        Scope scope = span.makeCurrent();
        return new JobSpan() {
            @Override
            public JobSpan attribute(String key, String value) {
                span.setAttribute(key, value);
                return this;
            }

            @Override
            public JobSpan attribute(String key, long value) {
                span.setAttribute(key, value);
                return this;
            }

            @Override
            public void close() {
                scope.close();
                span.end();
            }
        };
    }
}
