package dev.jobflow.core.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

import dev.jobflow.core.store.Credentials;

/**
 * What {@link KeyCache} keeps and when it must look again. The key tables are a map and the watch is
 * driven by the test (the store's watch itself is in the contract suite).
 */
class KeyCacheTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Map<String, String> table = new HashMap<>(Map.of("a", "alice", "b", "bob"));
    private final List<String> lookups = new ArrayList<>();
    /** Each time the cache asked the store for a watch; {@link #watchAnswer} is what the store answers. */
    private final List<KeyCache<?>> watchers = new ArrayList<>();
    private Uni<Optional<AutoCloseable>> watchAnswer = Uni.createFrom().item(Optional.of(() -> {
    }));

    private final Function<String, Uni<Optional<String>>> lookup = sha -> {
        lookups.add(sha);
        return Uni.createFrom().item(Optional.ofNullable(table.get(sha)));
    };

    private KeyCache<String> cache(int maxKeys) {
        Credentials credentials = new Credentials() {
            @Override
            public Uni<Optional<JobApiKey>> jobApiKey(String keySha256) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<Optional<String>> producerKeyName(String keySha256) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<String> sharedSigningSecret(String candidate) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Uni<Optional<AutoCloseable>> watchKeys(KeyWatch watch) {
                watchers.add((KeyCache<?>) watch);
                return watchAnswer;
            }
        };
        return new KeyCache<>(credentials, maxKeys, Duration.ofMinutes(1), now::get);
    }

    private Optional<String> get(KeyCache<String> cache, String sha) {
        return cache.get(sha, lookup).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void aFoundKeyIsKeptOnceTheWatchHasStartedAndAnUnknownOneIsLookedUpEachTime() {
        KeyCache<String> cache = cache(100);
        assertThat(get(cache, "a")).contains("alice");
        assertThat(watchers).as("the first lookup starts the watch").hasSize(1);
        assertThat(get(cache, "a")).as("nothing is kept before the watch says it hears").contains("alice");
        assertThat(lookups).containsExactly("a", "a");

        cache.changed(); // the watch started
        assertThat(get(cache, "a")).contains("alice");
        assertThat(get(cache, "a")).contains("alice");
        assertThat(get(cache, "x")).isEmpty();
        assertThat(get(cache, "x")).isEmpty();
        assertThat(lookups).containsExactly("a", "a", "a", "x", "x");
        assertThat(watchers).as("one watch").hasSize(1);
    }

    @Test
    void aChangeDropsWhatWasKept() {
        KeyCache<String> cache = cache(100);
        cache.changed();
        get(cache, "a");
        table.remove("a"); // revoked
        assertThat(get(cache, "a")).as("kept until the change is announced").contains("alice");
        cache.changed();
        assertThat(get(cache, "a")).isEmpty();
        assertThat(lookups).containsExactly("a", "a");
    }

    @Test
    void whatALookupReadBeforeAChangeIsNotKept() {
        KeyCache<String> cache = cache(100);
        cache.changed();
        List<UniEmitter<? super Optional<String>>> pending = new ArrayList<>();
        Uni<Optional<String>> read = cache.get("a", sha -> Uni.createFrom().emitter(pending::add));
        AtomicReference<Optional<String>> answer = new AtomicReference<>();
        read.subscribe().with(answer::set);
        cache.changed(); // the revoke's notice arrives while the read (from before the revoke) is under way
        pending.get(0).complete(Optional.of("alice"));
        assertThat(answer.get()).as("the caller still gets what was read").contains("alice");

        table.remove("a");
        assertThat(get(cache, "a")).as("but it was not kept").isEmpty();
    }

    @Test
    void nothingIsKeptWhileTheWatchIsLost() {
        KeyCache<String> cache = cache(100);
        cache.changed();
        get(cache, "a");
        cache.lost();
        get(cache, "a");
        get(cache, "a");
        assertThat(lookups).containsExactly("a", "a", "a");
        cache.changed(); // heard again
        get(cache, "a");
        get(cache, "a");
        assertThat(lookups).containsExactly("a", "a", "a", "a");
    }

    @Test
    void aKeyIsKeptAtMostItsMaxAgeAndAtMostMaxKeysAreKept() {
        KeyCache<String> cache = cache(2);
        cache.changed();
        get(cache, "a");
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        get(cache, "a");
        assertThat(lookups).containsExactly("a");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        get(cache, "a");
        assertThat(lookups).as("read again after a minute").containsExactly("a", "a");

        table.put("c", "carol");
        get(cache, "b");
        get(cache, "c"); // a third key: the full cache starts over
        get(cache, "c");
        get(cache, "a");
        assertThat(lookups).containsExactly("a", "a", "b", "c", "a");
    }

    @Test
    void aWatchThatFailedToStartIsTriedAgainAfterAWhileAndKeysAreLookedUpMeanwhile() {
        watchAnswer = Uni.createFrom().failure(new IllegalStateException("database down"));
        KeyCache<String> cache = cache(100);
        get(cache, "a");
        get(cache, "a");
        assertThat(watchers).hasSize(1);
        now.addAndGet(KeyCache.RETRY_WATCH_NANOS);
        watchAnswer = Uni.createFrom().item(Optional.of(() -> {
        }));
        get(cache, "a");
        assertThat(watchers).as("tried again").hasSize(2);
        get(cache, "a");
        assertThat(watchers).hasSize(2);
        assertThat(lookups).hasSize(4);
    }
}
