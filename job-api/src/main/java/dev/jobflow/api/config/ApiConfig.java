package dev.jobflow.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of job-api (the store's own settings live under {@code jobflow.store}). */
@ConfigMapping(prefix = "jobflow.api")
public interface ApiConfig {

    /**
     * The progress-hub's base URL as the browser reaches it; the job-monitor page loads the hub's
     * client module from it and connects its WebSocket there. Env: {@code JOBFLOW_API_HUB_URL}.
     */
    @WithDefault("http://localhost:8082")
    String hubUrl();
}
