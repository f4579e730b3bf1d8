package dev.jobflow.core.runtime;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

import dev.jobflow.core.store.Credentials;
import dev.jobflow.core.store.JobStore;
import dev.jobflow.core.store.ProcedureRunner;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.core.store.ReplicaDirectory;

/**
 * A {@link StoreBackend} that opens its pool and ports on first use, once: a backend on the
 * classpath that is not chosen opens nothing. A backend says how to {@link #open()} and how to
 * close what it opened ({@link #closeOpened}).
 */
public abstract class LazyStoreBackend implements StoreBackend {

    /** What a backend opens: its pool and the ports over it. */
    public record Opened(Pool pool, JobStore jobStore, ProgressLog progressLog, ReplicaDirectory replicaDirectory,
            ProcedureRunner procedureRunner, Credentials credentials) {
    }

    private Opened opened;

    /** Connects (settings already validated) and builds the ports. */
    protected abstract Opened open();

    /** The statement {@link #ping()} runs: the cheapest query of the dialect. */
    protected abstract String pingStatement();

    /** Closes what {@link #open()} built. */
    protected abstract void close(Opened opened);

    private synchronized Opened opened() {
        if (opened == null) {
            validate();
            opened = open();
        }
        return opened;
    }

    /** Closes what was opened, if anything; call from the bean's {@code @PreDestroy}. */
    protected synchronized void closeOpened() {
        if (opened != null) {
            close(opened);
            opened = null;
        }
    }

    @Override
    public Pool pool() {
        return opened().pool();
    }

    @Override
    public Uni<Void> ping() {
        // deferred: a pool that cannot be opened fails the Uni, not the caller
        return Uni.createFrom().deferred(() -> pool().query(pingStatement()).execute()).replaceWithVoid();
    }

    @Override
    public JobStore jobStore() {
        return opened().jobStore();
    }

    @Override
    public ProgressLog progressLog() {
        return opened().progressLog();
    }

    @Override
    public ReplicaDirectory replicaDirectory() {
        return opened().replicaDirectory();
    }

    @Override
    public ProcedureRunner procedureRunner() {
        return opened().procedureRunner();
    }

    @Override
    public Credentials credentials() {
        return opened().credentials();
    }
}
