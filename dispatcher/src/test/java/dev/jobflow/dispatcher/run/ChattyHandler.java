package dev.jobflow.dispatcher.run;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobflow.dispatcher.handler.JobContext;
import dev.jobflow.dispatcher.handler.JobHandler;

/**
 * Test handler that reports progress {@code reports} times in a tight loop (report i: pct i * 99 /
 * reports, message "report i"), then, with {@code hold}, waits at its {@link #GATE}; returns how
 * long the loop took ({@code loop_ms}).
 */
@ApplicationScoped
public class ChattyHandler implements JobHandler {
    /** Where a run waits; {@code GATE.openAll()} lets every run waiting so far return (test clean-up). */
    static final Gate GATE = new Gate();

    @Override
    public String type() {
        return "chatty";
    }

    @Override
    public Object run(JobContext context) throws Exception {
        int reports = ((Number) context.params().get("reports")).intValue();
        CountDownLatch mine = GATE.current();
        long started = System.nanoTime();
        for (int i = 1; i <= reports; i++) {
            context.progress(i * 99 / reports, "report " + i);
        }
        long loopMs = (System.nanoTime() - started) / 1_000_000;
        if (Boolean.TRUE.equals(context.params().get("hold"))) {
            mine.await();
        }
        return Map.of("loop_ms", loopMs);
    }
}
