package dev.jobflow.core.model;

/**
 * The progress stream's identity and bounds: offsets of one epoch mean nothing in another; offsets
 * below {@code retainedFrom} may have been deleted by retention; {@code head} is the highest offset
 * written so far.
 */
public record StreamInfo(String epoch, long retainedFrom, long head) {
}
