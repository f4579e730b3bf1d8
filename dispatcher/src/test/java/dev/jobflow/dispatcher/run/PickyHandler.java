package dev.jobflow.dispatcher.run;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobflow.dispatcher.handler.JobContext;
import dev.jobflow.dispatcher.handler.JobHandler;
import dev.jobflow.dispatcher.handler.JobInputException;

/** Test handler without a declaration that finds its input invalid itself: param {@code mode} must be "ok". */
@ApplicationScoped
public class PickyHandler implements JobHandler {

    @Override
    public String type() {
        return "picky";
    }

    @Override
    public Object run(JobContext context) {
        if (!"ok".equals(context.params().get("mode"))) {
            throw new JobInputException("mode must be 'ok', was " + context.params().get("mode"));
        }
        return null;
    }
}
