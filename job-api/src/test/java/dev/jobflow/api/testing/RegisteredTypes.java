package dev.jobflow.api.testing;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.runtime.StartupEvent;

import dev.jobflow.core.params.JobTypeSpec;
import dev.jobflow.core.store.JobQueue;

/**
 * job-api's tests run no dispatcher: at start this registers the job type they submit ({@code demo},
 * without a declaration) as a live dispatcher would, so that submits of it are not refused as an
 * unknown type. Tests of the declared parameters register types of their own.
 */
@ApplicationScoped
public class RegisteredTypes {

    void register(@Observes StartupEvent event, JobQueue store) {
        store.registerJobTypes("job-api-test", List.of(JobTypeSpec.undeclared("demo"))).await()
                .atMost(Duration.ofSeconds(30));
    }
}
