package dev.jobflow.core.model;

/** A queue's webhook as it may be shown: its URL and whether a secret is set, never the secret. */
public record QueueWebhook(String queue, String url, boolean secretSet) {
}
