package dev.jobflow.api.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the job-monitor page served by job-api (the store's settings live under
 * {@code jobflow.store}, the hub tokens' under {@code jobflow.api.tokens}).
 */
@ConfigMapping(prefix = "jobflow.api.page")
public interface PageConfig {

    /**
     * The progress-hub's base URL as the browser reaches it; the job-monitor page connects its
     * WebSocket there. Env {@code JOBFLOW_HUB_URL}; default {@code http://localhost:8082}.
     */
    @WithDefault("http://localhost:8082")
    String hubUrl();
}
