package dev.jobflow.core.model;

/** A job a dispatcher has just claimed, with the lease it must present for every update. */
public record ClaimedJob(Job job, Lease lease) {
}
