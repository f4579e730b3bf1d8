package dev.jobflow.api.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The queue gauges job-api exports on {@code /q/metrics} (for an HPA without KEDA). */
@ConfigMapping(prefix = "jobflow.api.metrics")
public interface MetricsConfig {

    /**
     * How often the {@code jobflow_queue_*} gauges are refreshed from the database (a scrape never
     * queries it). Env {@code JOBFLOW_API_METRICS_REFRESH}; default {@code 5s}.
     */
    @WithDefault("5s")
    Duration refresh();
}
