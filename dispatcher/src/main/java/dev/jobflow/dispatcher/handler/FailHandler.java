package dev.jobflow.dispatcher.handler;

import jakarta.enterprise.context.ApplicationScoped;

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
    public Object run(JobContext context) {
        double succeedOn = context.numberParam("succeed_on_attempt", Double.MAX_VALUE);
        if (context.job().attempts() < succeedOn) {
            throw new IllegalStateException("failing on purpose (attempt " + context.job().attempts() + ")");
        }
        return java.util.Map.of("succeededOnAttempt", context.job().attempts());
    }
}
