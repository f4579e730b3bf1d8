package dev.jobflow.core.model;

/**
 * The queue as an autoscaler sees it. {@code capacity} is the number of slots of the dispatcher
 * replicas seen alive recently; {@code replicas} how many they are.
 */
public record QueueStats(long ready, long delayed, long running, double oldestReadyAgeSeconds, long capacity,
        int replicas) {
}
