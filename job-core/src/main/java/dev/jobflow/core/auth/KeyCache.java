package dev.jobflow.core.auth;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.store.Credentials;

/**
 * The keys a service found, by their SHA-256, kept while the store tells it of every change to the
 * key tables ({@link Credentials#watchKeys}): a request with a known key then costs no database
 * read. A change (a revoke, a new role) drops every kept key as soon as the store's notice arrives
 * (milliseconds after the change commits); while the watch is down, and on a backend without one,
 * every lookup goes to the database as it did before. Only keys that were found are kept (an
 * unknown key is looked up each time), at most {@code maxKeys} of them, each for at most
 * {@code maxAge} (the bound if a notice were ever lost without the watch noticing).
 *
 * @param <V> what a found key names (the job-api's {@link JobApiKey}, the hub's producer name)
 */
public final class KeyCache<V> implements Credentials.KeyWatch {
    private static final Logger LOG = Logger.getLogger(KeyCache.class);
    /** How long after a failed start of the watch the next lookup tries again. */
    static final long RETRY_WATCH_NANOS = Duration.ofSeconds(5).toNanos();

    private final Credentials credentials;
    private final int maxKeys;
    private final long maxAgeNanos;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Kept<V>> kept = new ConcurrentHashMap<>();
    /**
     * Odd while the watch is live (keys may be kept), even while it is not; every change notice and
     * every loss moves it on, so a lookup that started before one never keeps what it read.
     */
    private final AtomicLong epoch = new AtomicLong();
    /** When the watch may be started (again); {@link Long#MAX_VALUE} once started. */
    private final AtomicLong watchDueAt;
    private volatile AutoCloseable watch;

    private record Kept<V>(V value, long epoch, long readAt) {
    }

    public KeyCache(Credentials credentials, int maxKeys, Duration maxAge, LongSupplier nanoClock) {
        this.credentials = credentials;
        this.maxKeys = maxKeys;
        this.maxAgeNanos = maxAge.toNanos();
        this.nanoClock = nanoClock;
        this.watchDueAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** A cache of up to 10,000 keys, each kept at most a minute. */
    public static <V> KeyCache<V> of(Credentials credentials) {
        return new KeyCache<>(credentials, 10_000, Duration.ofMinutes(1), System::nanoTime);
    }

    /** What the key with this SHA-256 names: kept, or read by {@code lookup} (and kept if found). */
    public Uni<Optional<V>> get(String keySha256, Function<String, Uni<Optional<V>>> lookup) {
        startWatch();
        long now = nanoClock.getAsLong();
        long current = epoch.get();
        if ((current & 1) == 0) {
            return lookup.apply(keySha256);
        }
        Kept<V> hit = kept.get(keySha256);
        if (hit != null && hit.epoch == current && now - hit.readAt < maxAgeNanos) {
            return Uni.createFrom().item(Optional.of(hit.value));
        }
        return lookup.apply(keySha256).invoke(found -> {
            // kept only if no notice came meanwhile: what was read may predate a change
            if (found.isPresent() && epoch.get() == current) {
                if (kept.size() >= maxKeys) {
                    kept.clear();
                }
                kept.put(keySha256, new Kept<>(found.get(), current, now));
            }
        });
    }

    /** A key table changed, or the watch (re)started: nothing kept before holds. */
    @Override
    public void changed() {
        kept.clear();
        epoch.getAndUpdate(e -> (e | 1) + 2);
    }

    /** The watch is down: keep nothing until it is back ({@link #changed()}). */
    @Override
    public void lost() {
        kept.clear();
        epoch.getAndUpdate(e -> (e & 1) == 1 ? e + 1 : e + 2);
    }

    /** Starts the store's watch on first use, and again a while after it failed to start. */
    private void startWatch() {
        long due = watchDueAt.get();
        if (due == Long.MAX_VALUE || nanoClock.getAsLong() - due < 0 || !watchDueAt.compareAndSet(due, Long.MAX_VALUE)) {
            return;
        }
        credentials.watchKeys(this).subscribe().with(started -> {
            if (started.isEmpty()) {
                LOG.debug("this store does not announce key changes: every key is looked up");
            }
            watch = started.orElse(null);
        }, failure -> {
            LOG.debugf("key watch not started (keys are looked up meanwhile): %s", failure.getMessage());
            watchDueAt.set(nanoClock.getAsLong() + RETRY_WATCH_NANOS);
        });
    }

    /** Stops the watch (at shutdown). */
    public void close() {
        AutoCloseable started = watch;
        if (started != null) {
            try {
                started.close();
            } catch (Exception e) {
                LOG.debugf("key watch not closed cleanly: %s", e.getMessage());
            }
        }
    }
}
