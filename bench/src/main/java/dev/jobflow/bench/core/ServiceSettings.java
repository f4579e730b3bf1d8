package dev.jobflow.bench.core;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The environment a scenario gives each service beyond the database (settings of
 * docs/dispatcher.md and docs/progress-hub.md), kept in one place so every scenario starts the
 * services the same way. The hub gets a token secret known to the bench (so it can mint subscriber
 * tokens) and a send rate per key high enough not to be what is measured.
 */
public final class ServiceSettings {
    /** HS256 secret of this bench run: the hub verifies, {@link Tokens} signs. */
    public static final String TOKEN_SECRET = randomSecret();

    private ServiceSettings() {
    }

    public static Map<String, String> forService(String module) {
        Map<String, String> env = new HashMap<>();
        if (module.equals("progress-hub")) {
            env.put("JOBFLOW_TOKEN_SECRET", TOKEN_SECRET);
            env.put("JOBFLOW_HUB_SEND_RATE_PER_KEY", "1000000");
        }
        return env;
    }

    /** Dispatcher settings: slots per process, an optional global cap, a short idle poll. */
    public static Map<String, String> dispatcher(int slots, Integer globalCap) {
        Map<String, String> env = forService("dispatcher");
        env.put("JOBFLOW_DISPATCHER_SLOTS", String.valueOf(slots));
        if (globalCap != null) {
            env.put("JOBFLOW_DISPATCHER_GLOBAL_CAP", String.valueOf(globalCap));
        }
        return env;
    }

    private static String randomSecret() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
