package dev.jobflow.dispatcher.handler;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobflow.core.params.ParamSpec;

/**
 * The seed page's job: runs {@code duration} seconds (default a random 30–90) and reports progress
 * every {@code step} seconds (default 5) as pct = elapsed / duration * 100, with a log line per step;
 * ends COMPLETED at 100 with the result {@code {"steps": n, "seconds": duration}}.
 * Both parameters accept fractional seconds so tests run fast. Each step is a span of its own
 * ({@code demo step}, with tracing on): the example of a handler's spans.
 */
@ApplicationScoped
public class DemoHandler implements JobHandler {

    @Override
    public String type() {
        return "demo";
    }

    @Override
    public List<ParamSpec> params() {
        return List.of(ParamSpec.number("duration").min(0).max(86400)
                .describedAs("How long it runs, in seconds (default a random 30 to 90)"),
                ParamSpec.number("step").min(0.01).max(3600)
                        .describedAs("Seconds between progress reports (default 5)"));
    }

    @Override
    public Object run(JobContext context) throws InterruptedException {
        double duration = context.numberParam("duration", ThreadLocalRandom.current().nextInt(30, 91));
        double step = context.numberParam("step", 5);
        if (duration < 0 || step <= 0) {
            throw new JobInputException("duration must be >= 0 and step > 0");
        }
        long totalNanos = (long) (duration * 1e9);
        long start = System.nanoTime();
        int steps = 0;
        while (true) {
            long elapsed = System.nanoTime() - start;
            if (elapsed >= totalNanos) {
                return Map.of("steps", steps, "seconds", duration);
            }
            long wait = Math.min((long) (step * 1e9), totalNanos - elapsed);
            try (JobSpan span = context.span("demo step")) {
                if (!context.sleep(Duration.ofNanos(wait))) {
                    return null; // cancelled
                }
                elapsed = Math.min(System.nanoTime() - start, totalNanos);
                steps++;
                span.attribute("demo.step", steps);
                context.log(String.format("step %d: %.1f s of %.1f s", steps, elapsed / 1e9, duration));
                int pct = totalNanos == 0 ? 100 : (int) (elapsed * 100 / totalNanos);
                if (pct < 100) {
                    context.progress(pct, String.format("step %.1f s of %.1f s", elapsed / 1e9, duration));
                }
            }
        }
    }
}
