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
 * What {@link KeyCache} keeps and when it must look again. The key tables are a map whose
 * fingerprint the test sets, and the clock is the test's (the store's fingerprint itself is in the
 * contract suite).
 */
class KeyCacheTest {
    private static final Duration STALE = Duration.ofMillis(500);

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final Map<String, String> table = new HashMap<>(Map.of("a", "alice", "b", "bob"));
    private final List<String> lookups = new ArrayList<>();
    /** The fingerprint reads asked for; each completed by the test, or at once while {@link #answerAtOnce}. */
    private final List<UniEmitter<? super String>> reads = new ArrayList<>();
    private boolean answerAtOnce = true;
    private String fingerprint = "v1";

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
            public Uni<String> keysFingerprint() {
                return Uni.createFrom().emitter(emitter -> {
                    reads.add(emitter);
                    if (answerAtOnce) {
                        emitter.complete(fingerprint);
                    }
                });
            }
        };
        return new KeyCache<>(credentials, maxKeys, STALE, now::get);
    }

    private Optional<String> get(KeyCache<String> cache, String sha) {
        return cache.get(sha, lookup).await().atMost(Duration.ofSeconds(5));
    }

    private void advance(long millis) {
        now.addAndGet(Duration.ofMillis(millis).toNanos());
    }

    @Test
    void aFoundKeyIsKeptOnceTheFingerprintIsKnownAndAnUnknownOneIsLookedUpEachTime() {
        KeyCache<String> cache = cache(100);
        assertThat(get(cache, "a")).as("before the first fingerprint: looked up").contains("alice");
        assertThat(reads).as("the first request reads the fingerprint").hasSize(1);
        assertThat(get(cache, "a")).contains("alice");
        assertThat(get(cache, "a")).contains("alice");
        assertThat(get(cache, "x")).isEmpty();
        assertThat(get(cache, "x")).isEmpty();
        assertThat(lookups).containsExactly("a", "a", "x", "x");
        assertThat(reads).as("no more reads while the fingerprint is fresh").hasSize(1);
    }

    @Test
    void aChangedFingerprintDropsWhatWasKeptAndItIsReadAgainAsItAges() {
        KeyCache<String> cache = cache(100);
        get(cache, "a");
        get(cache, "a"); // kept
        table.remove("a"); // revoked
        fingerprint = "v2";
        advance(200);
        assertThat(get(cache, "a")).as("kept while the fingerprint read is fresh").contains("alice");
        advance(100); // 300 ms: past half the staleness, the next request reads again
        assertThat(get(cache, "a")).as("the read saw the change before this lookup").isEmpty();
        assertThat(reads).hasSize(2);
        assertThat(lookups).containsExactly("a", "a", "a");
    }

    @Test
    void nothingKeptIsServedOnceTheLastReadIsStaleEvenIfTheNextHasNotAnswered() {
        KeyCache<String> cache = cache(100);
        get(cache, "a");
        get(cache, "a"); // kept
        assertThat(lookups).hasSize(2);
        answerAtOnce = false; // the database stops answering
        advance(300);
        get(cache, "a"); // starts a read, still served from what is kept
        assertThat(lookups).hasSize(2);
        advance(250); // 550 ms since the last read started
        get(cache, "a");
        get(cache, "a");
        assertThat(lookups).as("looked up while no fresh read confirms").hasSize(4);
        assertThat(reads).as("one read at a time").hasSize(2);
        reads.get(1).complete("v1");
        get(cache, "a");
        assertThat(lookups).as("served again once a read confirms").hasSize(4);
    }

    @Test
    void whatALookupReadBeforeAChangeIsNotKept() {
        KeyCache<String> cache = cache(100);
        get(cache, "b"); // the fingerprint is known
        List<UniEmitter<? super Optional<String>>> pending = new ArrayList<>();
        AtomicReference<Optional<String>> answer = new AtomicReference<>();
        advance(300);
        answerAtOnce = false;
        cache.get("a", sha -> Uni.createFrom().emitter(pending::add)).subscribe().with(answer::set);
        // the revoke commits; the fingerprint read (started by that request) sees it before the lookup answers
        table.remove("a");
        reads.get(1).complete("v2");
        pending.get(0).complete(Optional.of("alice"));
        assertThat(answer.get()).as("the caller still gets what was read").contains("alice");
        answerAtOnce = true;
        assertThat(get(cache, "a")).as("but it was not kept").isEmpty();
    }

    @Test
    void atMostMaxKeysAreKept() {
        KeyCache<String> cache = cache(2);
        table.put("c", "carol");
        get(cache, "a");
        get(cache, "b");
        get(cache, "c");
        get(cache, "c");
        get(cache, "a"); // a third key: the full cache starts over
        get(cache, "b");
        assertThat(lookups).containsExactly("a", "b", "c", "a", "b");
    }
}
