package dev.jobflow.core.model;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * A queue with its figures: ready (due, waiting for a slot), delayed (not due yet), running, and
 * the age of its oldest ready job in seconds (0 when none waits).
 */
public record QueueStatus(@JsonUnwrapped QueueSettings settings, long ready, long delayed, long running,
        double oldestReadyAgeSeconds) {
}
