package dev.jobflow.hub.rest;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/messages}: {@code rooms} is a JSON list of names or a
 * comma-separated string (the seed's form), {@code message} any JSON object, {@code username} optional
 * (recorded in the message as {@code "_from"}).
 */
public record SendRequest(JsonNode rooms, JsonNode message, String username) {
}
