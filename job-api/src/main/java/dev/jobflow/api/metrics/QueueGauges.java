package dev.jobflow.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;

import dev.jobflow.api.config.ApiConfig;
import dev.jobflow.core.model.QueueStats;
import dev.jobflow.core.model.QueueStatus;
import dev.jobflow.core.store.JobCatalog;

/**
 * The queue as Prometheus gauges, for an HPA on a Prometheus metric when KEDA is absent:
 * {@code jobflow_queue_ready}, {@code _delayed}, {@code _running}, {@code _work} (ready + running,
 * the chart's default HPA metric), {@code _capacity}, {@code _oldest_ready_age_seconds} and
 * {@code jobflow_queue_dispatcher_replicas}. They are refreshed from {@link JobCatalog#queueStats()}
 * on a Vert.x timer every {@code jobflow.api.metrics.refresh} (non-blocking; a scrape only reads
 * the last snapshot and never touches the database). Every job-api replica reports the same
 * figures: aggregate with {@code max}, not {@code sum}.
 *
 * <p>
 * Per named queue, with a {@code queue} label: {@code jobflow_queues_ready}, {@code _delayed},
 * {@code _running}, {@code _work}, {@code _cap} (absent without a cap), {@code _paused} (0/1) and
 * {@code _oldest_ready_age_seconds}, refreshed on the same timer; a dropped queue's series go.
 */
@ApplicationScoped
public class QueueGauges {
    private static final Logger LOG = Logger.getLogger(QueueGauges.class);
    private static final QueueStats EMPTY = new QueueStats(0, 0, 0, 0, 0, 0);

    private final AtomicReference<QueueStats> last = new AtomicReference<>(EMPTY);
    private final Map<String, MultiGauge> perQueue = new LinkedHashMap<>();
    private final JobCatalog store;
    private final Vertx vertx;
    private final long refreshMillis;
    private long timer = -1;

    QueueGauges(JobCatalog store, Vertx vertx, ApiConfig config, MeterRegistry registry) {
        this.store = store;
        this.vertx = vertx;
        this.refreshMillis = Math.max(100, config.metrics().refresh().toMillis());
        gauge(registry, "jobflow.queue.ready", "Jobs ready to be claimed now", s -> s.ready());
        gauge(registry, "jobflow.queue.delayed", "Queued jobs waiting for their retry time", s -> s.delayed());
        gauge(registry, "jobflow.queue.running", "Jobs running (leased by a dispatcher)", s -> s.running());
        gauge(registry, "jobflow.queue.work", "Ready plus running jobs: the autoscaling metric",
                s -> s.ready() + s.running());
        gauge(registry, "jobflow.queue.capacity", "Slots of the dispatcher replicas seen alive", s -> s.capacity());
        gauge(registry, "jobflow.queue.oldest.ready.age.seconds", "Age of the oldest ready job",
                s -> s.oldestReadyAgeSeconds());
        gauge(registry, "jobflow.queue.dispatcher.replicas", "Dispatcher replicas seen alive", s -> s.replicas());
        named(registry, "ready", "Jobs of the queue ready to be claimed now");
        named(registry, "delayed", "Jobs of the queue waiting for their time");
        named(registry, "running", "Jobs of the queue running");
        named(registry, "work", "Ready plus running jobs of the queue: the autoscaling metric per queue");
        named(registry, "cap", "The queue's cap: most of its jobs running at once across all dispatchers");
        named(registry, "paused", "1 while the queue is paused");
        named(registry, "oldest.ready.age.seconds", "Age of the queue's oldest ready job");
    }

    private void named(MeterRegistry registry, String figure, String help) {
        perQueue.put(figure, MultiGauge.builder("jobflow.queues." + figure).description(help).register(registry));
    }

    private void publish(List<QueueStatus> queues) {
        perQueue.forEach((figure, gauge) -> {
            List<MultiGauge.Row<?>> rows = new ArrayList<>();
            for (QueueStatus q : queues) {
                Number value = switch (figure) {
                    case "ready" -> q.ready();
                    case "delayed" -> q.delayed();
                    case "running" -> q.running();
                    case "work" -> q.ready() + q.running();
                    case "cap" -> q.settings().cap();
                    case "paused" -> q.settings().paused() ? 1 : 0;
                    default -> q.oldestReadyAgeSeconds();
                };
                if (value != null) {
                    rows.add(MultiGauge.Row.of(Tags.of("queue", q.settings().name()), value));
                }
            }
            gauge.register(rows, true);
        });
    }

    private void gauge(MeterRegistry registry, String name, String help,
            ToDoubleFunction<QueueStats> value) {
        Gauge.builder(name, last, ref -> value.applyAsDouble(ref.get())).description(help).register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        refresh();
        timer = vertx.setPeriodic(refreshMillis, id -> refresh());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void refresh() {
        store.queueStats().subscribe().with(last::set,
                failure -> LOG.debugf("queue gauges not refreshed (last values kept): %s", failure.getMessage()));
        store.listQueues().subscribe().with(this::publish,
                failure -> LOG.debugf("per-queue gauges not refreshed (last values kept): %s", failure.getMessage()));
    }
}
