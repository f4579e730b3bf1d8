package dev.jobflow.dispatcher.handler;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobflow.core.params.ParamSpec;

/**
 * Fails on purpose, for tests and drills of the retry path: every attempt fails, or, with param
 * {@code succeed_on_attempt}, attempts before that one fail and that one completes.
 */
@ApplicationScoped
public class FailHandler implements JobHandler {

    @Override
    public String type() {
        return "fail";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.integer("succeed_on_attempt").min(1).max(100)
                .describedAs("The attempt that completes; the ones before fail (default: every attempt fails)"));
    }

    @Override
    public Object run(JobContext context) {
        double succeedOn = context.numberParam("succeed_on_attempt", Double.MAX_VALUE);
        if (context.job().attempts() < succeedOn) {
            throw new IllegalStateException("failing on purpose (attempt " + context.job().attempts() + ")");
        }
        return java.util.Map.of("succeededOnAttempt", context.job().attempts());
    }
}
