package dev.jobflow.core.store;

/**
 * The whole job store of a backend: the {@link JobCatalog} job-api uses and the {@link JobQueue}
 * the dispatcher works, over one database. Services inject the narrow port they need; backends
 * implement this, and the contract suite ({@code JobStoreContract}) pins both halves.
 */
public interface JobStore extends JobCatalog, JobQueue {
}
