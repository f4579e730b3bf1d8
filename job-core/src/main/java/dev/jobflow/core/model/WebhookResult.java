package dev.jobflow.core.model;

/** How one webhook request ended: the HTTP status (null: no answer) and, when it failed, why. */
public record WebhookResult(Integer statusCode, String error) {

    /** Delivered: the receiver answered 2xx. */
    public boolean delivered() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }
}
