package dev.jobflow.dispatcher.cycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.jobflow.core.model.NewJob;
import dev.jobflow.core.model.QueueSettings;
import dev.jobflow.core.store.JobQueue;
import dev.jobflow.dispatcher.config.DispatcherConfig;

/**
 * The named queues this replica claims from, refreshed from the store every few seconds, and the
 * order of the next claim: each claim starts one queue further along, so every queue with free cap
 * gets its turn and a long queue never starves a short one. Paused queues are left out here (the
 * database refuses them anyway).
 */
@ApplicationScoped
public class QueueTurns {
    private static final Logger LOG = Logger.getLogger(QueueTurns.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);

    private final JobQueue store;
    private final WakeSignal wake;
    private final Optional<Set<String>> served;
    private volatile long refreshedAt = System.nanoTime();
    private final AtomicInteger turn = new AtomicInteger();
    private volatile List<QueueSettings> queues = List.of(QueueSettings.named(NewJob.DEFAULT_QUEUE));
    private volatile Map<String, QueueSettings> byName = Map.of();
    private volatile Set<String> missingWarned = Set.of();

    QueueTurns(JobQueue store, DispatcherConfig config, WakeSignal wake) {
        this.store = store;
        this.wake = wake;
        this.served = config.queues().map(Set::copyOf);
    }

    /**
     * Reads the queues again if the last read is older than {@code age}: a wake-up may be the first
     * job of a queue created since (its jobs then start within a second, not at the next refresh).
     */
    public void refreshIfOlderThan(Duration age) {
        if (System.nanoTime() - refreshedAt > age.toNanos()) {
            refresh();
        }
    }

    /** Reads the queues again (and wakes the cycle when the served ones changed); on a failure the last list stays. */
    public void refresh() {
        refreshedAt = System.nanoTime();
        List<QueueSettings> all;
        try {
            all = store.queues().await().atMost(STORE_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warnf("queue list not refreshed (claiming from the last one): %s", e.getMessage());
            return;
        }
        byName = all.stream().collect(Collectors.toUnmodifiableMap(QueueSettings::name, Function.identity()));
        served.ifPresent(names -> {
            Set<String> missing = new HashSet<>(names);
            missing.removeAll(byName.keySet());
            if (!missing.isEmpty() && !missing.equals(missingWarned)) {
                LOG.warnf("jobflow.dispatcher.queues names queues that do not exist (yet): %s", missing);
            }
            missingWarned = missing;
        });
        List<QueueSettings> before = queues;
        queues = all.stream().filter(q -> !q.paused())
                .filter(q -> served.map(names -> names.contains(q.name())).orElse(true))
                .toList();
        if (!queues.equals(before)) {
            wake.signal(); // a queue came, went, was paused or resumed: claim with the new list
        }
    }

    /** The served, running queues in the order of the next claim. */
    public List<QueueSettings> nextOrder() {
        List<QueueSettings> current = queues;
        if (current.size() <= 1) {
            return current;
        }
        int start = Math.floorMod(turn.getAndIncrement(), current.size());
        List<QueueSettings> order = new ArrayList<>(current.size());
        order.addAll(current.subList(start, current.size()));
        order.addAll(current.subList(0, start));
        return order;
    }

    /** A queue's settings as last read, if known. */
    public Optional<QueueSettings> settings(String queue) {
        return Optional.ofNullable(byName.get(queue));
    }
}
