package dev.jobflow.hub.rest;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.jobflow.hub.config.HubConfig;

/** A token bucket per API key on this replica: {@code rate-per-key} sends per second, same burst. */
@ApplicationScoped
public class RateLimiter {
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final int rate;

    RateLimiter(HubConfig config) {
        this.rate = config.send().ratePerKey();
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;
    }

    /** Takes one send from the key's bucket; false when it is empty. */
    public boolean tryAcquire(String keyName) {
        Bucket bucket = buckets.computeIfAbsent(keyName, k -> {
            Bucket b = new Bucket();
            b.tokens = rate;
            b.refilledAt = System.nanoTime();
            return b;
        });
        synchronized (bucket) {
            long now = System.nanoTime();
            bucket.tokens = Math.min(rate, bucket.tokens + (now - bucket.refilledAt) / 1e9 * rate);
            bucket.refilledAt = now;
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    public int rate() {
        return rate;
    }
}
