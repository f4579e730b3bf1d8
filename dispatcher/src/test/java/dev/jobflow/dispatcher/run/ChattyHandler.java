package dev.jobflow.dispatcher.run;

import java.util.Map;
import java.util.concurrent.CountDownLatch;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobflow.dispatcher.handler.JobContext;
import dev.jobflow.dispatcher.handler.JobHandler;

/**
 * Test handler that reports progress {@code reports} times in a tight loop (report i: pct i * 99 /
 * reports, message "report i"), then, with {@code hold}, waits until the test releases it; returns how
 * long the loop took ({@code loop_ms}).
 */
@ApplicationScoped
public class ChattyHandler implements JobHandler {
    private static volatile CountDownLatch release = new CountDownLatch(1);

    /** Lets every held chatty handler return, and arms a fresh latch. */
    static void releaseAll() {
        CountDownLatch old = release;
        release = new CountDownLatch(1);
        old.countDown();
    }

    @Override
    public String type() {
        return "chatty";
    }

    @Override
    public Object run(JobContext context) throws Exception {
        int reports = ((Number) context.params().get("reports")).intValue();
        CountDownLatch mine = release;
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
