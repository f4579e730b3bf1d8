package dev.jobflow.dispatcher.run;

import java.util.concurrent.CountDownLatch;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobflow.dispatcher.handler.JobContext;
import dev.jobflow.dispatcher.handler.JobHandler;

/**
 * Test handler that ignores the first request to stop: it blocks until the test releases it (a call
 * that does not look at the cancellation signal), swallows the first interrupt and blocks again;
 * only a second interrupt, or {@link #releaseAll()}, ends it.
 */
@ApplicationScoped
public class StubbornHandler implements JobHandler {
    /** Where a run waits; {@code GATE.openAll()} lets every run waiting so far return (test clean-up). */
    static final Gate GATE = new Gate();

    @Override
    public String type() {
        return "stubborn";
    }

    @Override
    public Object run(JobContext context) throws Exception {
        CountDownLatch mine = GATE.current();
        try {
            mine.await();
        } catch (InterruptedException first) {
            mine.await(); // ignores the first interrupt
        }
        return null;
    }
}
