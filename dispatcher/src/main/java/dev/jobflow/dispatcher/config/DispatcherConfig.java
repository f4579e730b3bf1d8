package dev.jobflow.dispatcher.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Every setting of the dispatcher (prefix {@code jobflow.dispatcher}); checked at start-up by
 * {@link ConfigCheck}. Durations take {@code 20s}, {@code 500ms}, {@code 5m} or ISO-8601.
 */
@ConfigMapping(prefix = "jobflow.dispatcher")
public interface DispatcherConfig {

    /** This replica's name in leases, cycle rows and the replica table. Default: host name + "-" + pid. */
    Optional<String> replicaId();

    /**
     * Jobs this replica runs at once (its local limit). Default 1: in the plainest deployment the
     * cap N is simply the replica count.
     */
    @WithDefault("1")
    int slots();

    /**
     * Global cap N: never more than this many jobs RUNNING across all replicas, enforced by the
     * database at claim time (also during rolling updates). Unset (default): no global cap. Every
     * replica must use the same value.
     */
    OptionalInt globalCap();

    /** W: how long a cycle waits for work before it logs an idle heartbeat and waits again. Default 20s. */
    @WithDefault("20s")
    Duration pollWait();

    /** T: length of one dispatch cycle; then it records its row and a fresh one starts. Default 5m. */
    @WithDefault("5m")
    Duration cycleLength();

    /** Deliberate wait after a wake-up before claiming, so one claim takes a batch. Default 0s (none). */
    @WithDefault("0s")
    Duration coalescingDelay();

    /** Lease of a claimed job; a dead replica's jobs are retried after at most this. Default 15s. */
    @WithDefault("15s")
    Duration leaseLength();

    /** How often a running job's lease is renewed (and a cancel noticed). Must be below half the lease. Default 5s. */
    @WithDefault("5s")
    Duration heartbeatInterval();

    /**
     * A Java handler's progress reports of one job are written at most this often: a report sooner
     * than that after the last one waits, and a later report supersedes it; the latest is written
     * once the interval has passed (the end of the job supersedes it too). {@code 0s}: every report
     * is written at once. Default 100ms.
     */
    @WithDefault("100ms")
    Duration progressInterval();

    /** How often this replica returns expired leases to the queue (safe on every replica; at least 1s). Default 5s. */
    @WithDefault("5s")
    Duration reaperInterval();

    /** On SIGTERM: how long running jobs may go on before they are handed back. Default 20s. */
    @WithDefault("20s")
    Duration drainGrace();

    /** First retry delay after a failed attempt; doubles per attempt, with jitter. Default 1s. */
    @WithDefault("1s")
    Duration retryBackoffBase();

    /** Longest retry delay. Default 5m. */
    @WithDefault("5m")
    Duration retryBackoffMax();

    /**
     * Stored procedures that job type {@code sql:<procedure>} may call (allow-list, exact names).
     * Default: {@code jobflow_demo}.
     */
    @WithDefault("jobflow_demo")
    Set<String> sqlProcedures();

    /**
     * The declared parameters of an allow-listed procedure, registered for job-api's submit check, e.g.
     * {@code jobflow.dispatcher.sql-params.jobflow_demo=duration:number:0..86400,step:number:0.01..3600}:
     * comma-separated {@code name:kind[:min..max][:required]} (kind {@code number}, {@code integer},
     * {@code string} or {@code boolean}; a string's range bounds its length). A procedure not named takes
     * any params. Default: the demo procedure's two.
     */
    Map<String, String> sqlParams();

    /**
     * The named queues this replica claims from (e.g. {@code reports,exports}). Unset (default): all
     * queues. Each queue gets its turn: a long queue never starves a short one.
     */
    Optional<List<String>> queues();

    /**
     * Local slots per queue: at most this many of the queue's jobs run on this replica at once
     * (within {@link #slots()}), e.g. {@code jobflow.dispatcher.queue-slots.reports=2}. A queue not
     * named shares the replica's slots. The queue's own cap (across replicas) always holds too.
     */
    Map<String, Integer> queueSlots();

    /**
     * After a job's timeout the handler is interrupted; if it has not ended this much later, the
     * attempt ends as timed out anyway and its slot is freed (the database never renews its lease
     * past timeout + grace). Default 10s.
     */
    @WithDefault("10s")
    Duration timeoutGrace();

    /**
     * Whether this replica makes the jobs of due schedules (every replica may: the database makes
     * exactly one job per due time). Default true.
     */
    @WithDefault("true")
    boolean schedules();

    /**
     * A due time of a schedule older than this when a scheduler pass sees it was missed (no
     * dispatcher ran): the schedule's misfire rule decides (run once, or skip). Default 1m.
     */
    @WithDefault("1m")
    Duration misfireAfter();

    /** Retention: what keeps every table bounded (one replica prunes at a time; the database decides which). */
    Retention retention();

    interface Retention {
        /** Whether this replica takes part in pruning. Default true. */
        @WithDefault("true")
        boolean enabled();

        /** How often a pass runs (a pass that removed a full batch runs again at once). Default 1m. */
        @WithDefault("1m")
        Duration interval();

        /** Finished jobs (with their runs and log lines) older than this go. Default 7d. */
        @WithDefault("7d")
        Duration jobsMaxAge();

        /** At most this many finished jobs are kept, the newest. Default 1000000. */
        @WithDefault("1000000")
        long jobsMaxCount();

        /** Cycle rows older than this go. Default 7d. */
        @WithDefault("7d")
        Duration cyclesMaxAge();

        /** Replica rows not seen for this long go. Default 1d. */
        @WithDefault("1d")
        Duration replicasMaxAge();

        /** Audit entries older than this go. Default 90d. */
        @WithDefault("90d")
        Duration auditMaxAge();

        /**
         * Oracle only: messages of the AQ exception queue (claims that rolled back too often; their
         * jobs were given fresh messages) older than this go. Default 7d.
         */
        @WithDefault("7d")
        Duration exceptionQueueMaxAge();

        /** Oracle only: at most this many exception queue messages are kept, the newest. Default 10000. */
        @WithDefault("10000")
        long exceptionQueueMaxCount();

        /** Rows of each kind one pass removes at most (one transaction). Default 1000. */
        @WithDefault("1000")
        int batch();

        /** Job events (the outbox) older than this go, sent or not (a job's events also go with it). Default 7d. */
        @WithDefault("7d")
        Duration eventsMaxAge();
    }

    /**
     * The broker relay of job events (the outbox, V018) over its own connection to an AMQP 1.0 broker
     * ({@code amqp-host}, {@code amqp-port}, {@code amqp-username}, {@code amqp-password},
     * {@code amqp-use-ssl}, {@code amqp-virtual-host}) or Kafka ({@code kafka.bootstrap.servers},
     * {@code kafka.*}): {@code dev.jobflow.dispatcher.events.EventSink}. Off unless enabled.
     */
    Events events();

    interface Events {
        /** Whether this replica relays events to the broker. Default false. */
        @WithDefault("false")
        boolean enabled();

        /** How often a relay pass runs (a pass that sent a full batch runs again at once). Default 1s. */
        @WithDefault("1s")
        Duration interval();

        /** Events one pass sends at most (one transaction). Default 100. */
        @WithDefault("100")
        int batch();

        /** How long one event may wait for the broker's acknowledgement before the pass stops. Default 10s. */
        @WithDefault("10s")
        Duration sendTimeout();

        /**
         * The AMQP target address, or the Kafka topic (env {@code JOBFLOW_EVENTS_ADDRESS}); on RabbitMQ 3.x
         * e.g. {@code /queue/jobflow-events} or {@code /exchange/jobflow/events}. Default {@code jobflow-events}.
         */
        @WithDefault("jobflow-events")
        String address();

        /**
         * The broker: {@code amqp} (AMQP 1.0: RabbitMQ, ActiveMQ, Artemis; {@code amqp-host}, ...) or
         * {@code kafka} ({@code kafka.bootstrap.servers}; the address is the topic). Env
         * {@code JOBFLOW_DISPATCHER_EVENTS_BROKER}. Default {@code amqp}.
         */
        @WithDefault("amqp")
        Broker broker();

        enum Broker {
            AMQP,
            KAFKA
        }
    }

    /** Webhooks per queue: the events of a queue's jobs POSTed, signed, to the queue's URL. */
    Webhooks webhooks();

    interface Webhooks {
        /** Whether this replica delivers webhooks (only queues with a webhook have any). Default true. */
        @WithDefault("true")
        boolean enabled();

        /** How often a delivery pass runs. Default 1s. */
        @WithDefault("1s")
        Duration interval();

        /** Deliveries one pass makes at most (one after another). Default 20. */
        @WithDefault("20")
        int batch();

        /** How long one request may take (connect and answer). Default 5s. */
        @WithDefault("5s")
        Duration timeout();

        /** Attempts per event before it is given up. Default 8. */
        @WithDefault("8")
        int maxAttempts();

        /** First retry delay; doubles per attempt, with jitter, up to backoff-max. Default 1s. */
        @WithDefault("1s")
        Duration backoffBase();

        /** Longest retry delay. Default 10m. */
        @WithDefault("10m")
        Duration backoffMax();
    }
}
