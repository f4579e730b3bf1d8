package dev.jobflow.core.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.store.Credentials;

/**
 * The keys a service found, by their SHA-256, so that a request with a known key costs no database
 * read. What is kept is served only while a read of the key tables' fingerprint
 * ({@link Credentials#keysFingerprint}) that <em>started</em> less than {@code maxStaleness} ago saw
 * the fingerprint the keys were read under: a change to the keys (a revoke, a new role) holds on every
 * replica at most {@code maxStaleness} after it commits. The fingerprint is read again, in the
 * background and one read at a time, once the last read is half that old and a request comes; without
 * requests nothing is read, and the first request after a quiet spell looks its key up. Only keys that
 * were found are kept (an unknown key is looked up each time), at most {@code maxKeys} of them.
 *
 * @param <V> what a found key names (the job-api's {@link JobApiKey}, the hub's producer name)
 */
public final class KeyCache<V> {
    private static final Logger LOG = Logger.getLogger(KeyCache.class);

    private final Credentials credentials;
    private final int maxKeys;
    private final long maxStalenessNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Kept<V>> kept = new ConcurrentHashMap<>();
    /** The fingerprint last read and when that read started; none before the first read. */
    private volatile Seen seen = new Seen(null, 0);
    private final AtomicBoolean reading = new AtomicBoolean();

    private record Kept<V>(V value, String fingerprint) {
    }

    private record Seen(String fingerprint, long readStartedAt) {
    }

    public KeyCache(Credentials credentials, int maxKeys, Duration maxStaleness, LongSupplier nanoClock) {
        this.credentials = credentials;
        this.maxKeys = maxKeys;
        this.maxStalenessNanos = maxStaleness.toNanos();
        this.nanoClock = nanoClock;
    }

    /** A cache of up to 10,000 keys; a key change holds at most half a second after its commit. */
    public static <V> KeyCache<V> of(Credentials credentials) {
        return new KeyCache<>(credentials, 10_000, Duration.ofMillis(500), System::nanoTime);
    }

    /** What the key with this SHA-256 names: kept, or read by {@code lookup} (and kept if found). */
    public Uni<Optional<V>> get(String keySha256, Function<String, Uni<Optional<V>>> lookup) {
        Seen now = seen;
        long age = now.fingerprint == null ? Long.MAX_VALUE : nanoClock.getAsLong() - now.readStartedAt;
        if (age >= maxStalenessNanos / 2) {
            readFingerprint();
        }
        if (age >= maxStalenessNanos) {
            return lookup.apply(keySha256);
        }
        Kept<V> hit = kept.get(keySha256);
        if (hit != null && hit.fingerprint.equals(now.fingerprint)) {
            return Uni.createFrom().item(Optional.of(hit.value));
        }
        // kept under the fingerprint seen before the lookup: if a read meanwhile saw a change, never served
        return lookup.apply(keySha256).invoke(found -> {
            if (found.isPresent()) {
                if (kept.size() >= maxKeys) {
                    kept.clear();
                }
                kept.put(keySha256, new Kept<>(found.get(), now.fingerprint));
            }
        });
    }

    /** Reads the fingerprint unless a read is under way; a change drops everything kept. */
    private void readFingerprint() {
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        long startedAt = nanoClock.getAsLong();
        credentials.keysFingerprint().subscribe().with(fingerprint -> {
            if (!fingerprint.equals(seen.fingerprint)) {
                kept.clear();
            }
            seen = new Seen(fingerprint, startedAt);
            reading.set(false);
        }, failure -> {
            // what is kept goes stale by itself: lookups go to the database meanwhile
            LOG.debugf("key fingerprint not read: %s", failure.getMessage());
            reading.set(false);
        });
    }
}
