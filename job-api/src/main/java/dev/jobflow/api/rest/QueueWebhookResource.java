package dev.jobflow.api.rest;

import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import io.smallrye.mutiny.Uni;

import dev.jobflow.api.auth.CallerRequired;
import dev.jobflow.api.auth.Right;
import dev.jobflow.core.model.QueueWebhook;
import dev.jobflow.core.store.EventOutbox;

/**
 * A queue's webhook: its URL and secret (the secret is written, never read back); the events of
 * its jobs are POSTed there, signed (docs/events.md).
 */
@Path("/api/v1/queues/{name}/webhook")
@Produces(MediaType.APPLICATION_JSON)
public class QueueWebhookResource {

    @Inject
    EventOutbox outbox;

    /** The body of {@code PUT /api/v1/queues/{name}/webhook}. */
    @Schema(description = "Where the events of a queue's jobs are POSTed, and the secret that signs them")
    public record WebhookRequest(
            @Schema(description = "An http or https URL") @NotNull(message = "is required") @Size(max = 2000) @Pattern(regexp = "https?://[^\\s]+", message = "must be an http or https URL") String url,

            @Schema(description = "The HMAC-SHA256 key of the Jobflow-Signature header (16 to 200 characters); "
                    + "never shown again", writeOnly = true) @NotNull(message = "is required") @Size(min = 16, max = 200) String secret) {

        @Override
        public String toString() { // never the secret
            return "WebhookRequest[url=" + url + "]";
        }
    }

    @GET
    @CallerRequired(Right.ADMIN)
    @Operation(summary = "A queue's webhook", description = "Its URL and whether a secret is set (url null: none); "
            + "never the secret.")
    @APIResponse(responseCode = "404", description = "No such queue")
    public Uni<QueueWebhook> getWebhook(@PathParam("name") @Size(max = 100) String name) {
        return outbox.findWebhook(name).map(found -> found.orElse(new QueueWebhook(name, null, false)));
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    @CallerRequired(Right.ADMIN)
    @Operation(summary = "Set a queue's webhook", description = "Events written from now on are POSTed to the URL, "
            + "signed with the secret (header Jobflow-Signature), retried with backoff.")
    @APIResponse(responseCode = "404", description = "No such queue")
    public Uni<QueueWebhook> putWebhook(
            @PathParam("name") @Size(max = 100) @Pattern(regexp = SubmitJobRequest.QUEUE_PATTERN, message = SubmitJobRequest.QUEUE_RULE) String name,
            @NotNull(message = "a JSON body is required") @Valid WebhookRequest request) {
        return outbox.putWebhook(name, request.url(), request.secret()).replaceWith(new QueueWebhook(name, request.url(),
                true));
    }

    @DELETE
    @CallerRequired(Right.ADMIN)
    @Operation(summary = "Remove a queue's webhook", description = "Deliveries still pending are dropped.")
    @APIResponse(responseCode = "204", description = "Removed (or there was none)")
    @APIResponse(responseCode = "404", description = "No such queue")
    public Uni<Void> deleteWebhook(@PathParam("name") @Size(max = 100) String name) {
        return outbox.putWebhook(name, null, null);
    }
}
