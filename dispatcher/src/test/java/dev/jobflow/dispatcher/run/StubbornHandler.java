package dev.jobflow.dispatcher.run;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobflow.dispatcher.handler.JobContext;
import dev.jobflow.dispatcher.handler.JobHandler;

/**
 * Test handler that ignores the first request to stop: it sleeps {@code seconds} (default 30),
 * swallows the first interrupt and sleeps again; only a second interrupt ends it.
 */
@ApplicationScoped
public class StubbornHandler implements JobHandler {

    @Override
    public String type() {
        return "stubborn";
    }

    @Override
    public Object run(JobContext context) throws Exception {
        Duration nap = Duration.ofSeconds(((Number) context.params().getOrDefault("seconds", 30)).longValue());
        try {
            Thread.sleep(nap); // the work: a call that does not look at the cancellation signal
        } catch (InterruptedException first) {
            Thread.sleep(nap); // and ignores the first interrupt
        }
        return null;
    }
}
