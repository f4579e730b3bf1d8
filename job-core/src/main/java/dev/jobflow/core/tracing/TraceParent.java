package dev.jobflow.core.tracing;

import java.util.HashMap;
import java.util.Map;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C {@code traceparent} a job row carries across the queue (column {@code jobs.trace_parent},
 * V022): written at submit from the submit's span, read at claim to parent the dispatcher's spans.
 * With tracing off the current span is invalid and {@link #current()} returns null without
 * allocating: nothing is written, nothing is parsed.
 */
public final class TraceParent {
    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<String> ONE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return java.util.List.of("traceparent");
        }

        @Override
        public String get(String carrier, String key) {
            return "traceparent".equals(key) ? carrier : null;
        }
    };

    private TraceParent() {
    }

    /** The traceparent of the current span, or null when there is none (tracing off, not sampled in). */
    public static String current() {
        return of(Context.current());
    }

    /** The traceparent of the span in {@code context}, or null when it has none. */
    public static String of(Context context) {
        if (!Span.fromContext(context).getSpanContext().isValid()) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(2);
        W3C.inject(context, carrier, Map::put);
        return carrier.get("traceparent");
    }

    /** The context whose remote parent is {@code traceParent}; the root context for null or a malformed one. */
    public static Context parent(String traceParent) {
        if (traceParent == null) {
            return Context.root();
        }
        return W3C.extract(Context.root(), traceParent, ONE);
    }
}
