package dev.jobflow.api.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.jobflow.api.config.ApiConfig;

/** What a browser client (the job-monitor page) needs to know to go live. */
@Path("/api/v1/config")
@Produces(MediaType.APPLICATION_JSON)
public class ConfigResource {

    @Inject
    ApiConfig config;

    /** @param hubUrl the progress-hub's base URL, without a trailing slash */
    public record ClientConfig(String hubUrl) {
    }

    @GET
    @Operation(summary = "Client configuration", description = "Where the browser finds the progress-hub.")
    public ClientConfig config() {
        return new ClientConfig(stripSlash(config.page().hubUrl()));
    }

    private static String stripSlash(String url) {
        String trimmed = url.strip();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
