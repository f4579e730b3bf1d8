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
    private static volatile CountDownLatch release = new CountDownLatch(1);

    /** Lets every stubborn handler still blocked return (test clean-up), and arms a fresh latch. */
    static void releaseAll() {
        CountDownLatch old = release;
        release = new CountDownLatch(1);
        old.countDown();
    }

    @Override
    public String type() {
        return "stubborn";
    }

    @Override
    public Object run(JobContext context) throws Exception {
        CountDownLatch mine = release;
        try {
            mine.await();
        } catch (InterruptedException first) {
            mine.await(); // ignores the first interrupt
        }
        return null;
    }
}
