package dev.jobflow.dispatcher.handler;

import jakarta.enterprise.context.ApplicationScoped;

/** Completes at once: measures the dispatch machinery alone (benchmarks). */
@ApplicationScoped
public class NoopHandler implements JobHandler {

    @Override
    public String type() {
        return "noop";
    }

    @Override
    public Object run(JobContext context) {
        return null; // nothing to do, no result
    }
}
