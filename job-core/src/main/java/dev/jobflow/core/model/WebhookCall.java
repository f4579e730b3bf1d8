package dev.jobflow.core.model;

/**
 * A webhook delivery that is due: the event, where to (the queue's URL) and the secret to sign it
 * with, and which attempt this is (1 for the first).
 */
public record WebhookCall(JobEvent event, String url, String secret, int attempt) {
    @Override
    public String toString() { // never the secret
        return "WebhookCall[event=" + event.id() + ", job=" + event.jobId() + ", url=" + url + ", attempt=" + attempt + "]";
    }
}
