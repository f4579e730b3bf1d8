package dev.jobflow.hub.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

import dev.jobflow.core.auth.ApiKeyHeaders;
import dev.jobflow.core.input.TextRules;
import dev.jobflow.core.store.ProgressLog;
import dev.jobflow.hub.config.HubConfig;
import dev.jobflow.hub.log.tail.Tailer;
import dev.jobflow.hub.rest.SendResult.RoomResult;

/**
 * {@code POST /api/v1/messages}: a producer sends one JSON message to rooms, with an API key in
 * {@code X-Api-Key} (or {@code Authorization: Bearer}). Valid rooms are published together (one
 * statement); invalid ones are reported per room: the result is success, partial or error.
 */
@Path("/api/v1/messages")
public class MessageResource {
    static final int MAX_ROOM_LENGTH = 200;

    private final ProgressLog log;
    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final Tailer tailer;
    private final HubConfig.Send config;

    MessageResource(ProgressLog log, ApiKeys keys, RateLimiter limiter, Tailer tailer, HubConfig config) {
        this.log = log;
        this.keys = keys;
        this.limiter = limiter;
        this.tailer = tailer;
        this.config = config.send();
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> send(@HeaderParam(ApiKeyHeaders.X_API_KEY) String apiKey,
            @HeaderParam("Authorization") String authorization,
            SendRequest request) {
        Optional<String> key = ApiKeyHeaders.presented(apiKey, authorization);
        if (key.isEmpty()) {
            return Uni.createFrom().item(ApiKeyHeaders.anyPresented(apiKey, authorization)
                    ? Problems.of(401, "API key refused", "the credential is empty or not an API key: send "
                            + "X-Api-Key: <key> or Authorization: Bearer <key>")
                    : Problems.of(401, "API key required", "send the key in the X-Api-Key header"));
        }
        return keys.check(key.get()).flatMap(name -> {
            if (name.isEmpty()) {
                return Uni.createFrom().item(Problems.of(401, "API key refused", "the key is unknown or revoked"));
            }
            if (!limiter.tryAcquire(name.get())) {
                return Uni.createFrom().item(Response.fromResponse(Problems.of(429, "Too many sends",
                        "this key may send " + limiter.rate() + " messages per second")).header("Retry-After", "1")
                        .build());
            }
            return validated(request);
        });
    }

    private Uni<Response> validated(SendRequest request) {
        if (request == null || request.message() == null || !request.message().isObject()) {
            return bad("message must be a JSON object");
        }
        String text = request.message().toString();
        if (text.getBytes(StandardCharsets.UTF_8).length > config.maxMessageBytes()) {
            return Uni.createFrom().item(Problems.of(413, "Message too large",
                    "message may have at most " + config.maxMessageBytes() + " bytes of JSON"));
        }
        if (request.username() != null && request.username().length() > 100) {
            return bad("username may have at most 100 characters");
        }
        // text the log cannot store (NUL, a lone surrogate) can never be sent: a 400, not a 503 to retry
        Optional<String> unstorable = TextRules.firstViolation("username", request.username())
                .or(() -> TextRules.firstViolation("message", new JsonObject(text).getMap()))
                .or(() -> TextRules.firstViolation("rooms", rooms(request.rooms())))
                .map(error -> error.get("field") + " " + error.get("message"));
        if (unstorable.isPresent()) {
            return bad(unstorable.get());
        }
        List<String> rooms = rooms(request.rooms());
        if (rooms == null || rooms.isEmpty()) {
            return bad("rooms must be a non-empty list of names or a comma-separated string");
        }
        if (rooms.size() > config.maxRooms()) {
            return bad("at most " + config.maxRooms() + " rooms per send");
        }
        List<RoomResult> results = new ArrayList<>();
        List<String> valid = new ArrayList<>();
        for (String room : rooms) {
            if (room.length() > MAX_ROOM_LENGTH) {
                results.add(new RoomResult(room, "error", null, "room name longer than " + MAX_ROOM_LENGTH));
            } else {
                valid.add(room);
            }
        }
        if (valid.isEmpty()) {
            // every error answer is problem+json (docs/api-errors.md); the rooms' own errors ride in "rooms"
            return Uni.createFrom().item(Problems.of(400, "Invalid send", "no room of the send is valid",
                    Map.of("rooms", results)));
        }
        JsonObject payload = new JsonObject(text);
        if (request.username() != null && !request.username().isBlank()) {
            payload.put("_from", request.username());
        }
        return log.publish(valid, payload).map(offsets -> {
            tailer.wake();
            List<RoomResult> all = new ArrayList<>();
            for (int i = 0; i < valid.size(); i++) {
                all.add(new RoomResult(valid.get(i), "success", offsets.get(i), null));
            }
            all.addAll(results);
            String status = results.isEmpty() ? "success" : "partial";
            return Response.ok(new SendResult(status, all)).build();
        }).onFailure().recoverWithItem(failure -> Problems.of(503, "Send failed",
                "the progress log cannot be written right now; nothing was sent"));
    }

    /** A JSON list of strings or one comma-separated string; blanks dropped, duplicates once. */
    private static List<String> rooms(JsonNode node) {
        if (node == null) {
            return null;
        }
        Set<String> rooms = new LinkedHashSet<>();
        if (node.isTextual()) {
            for (String part : node.asText().split(",")) {
                if (!part.isBlank()) {
                    rooms.add(part.strip());
                }
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                if (!item.isTextual()) {
                    return null;
                }
                if (!item.asText().isBlank()) {
                    rooms.add(item.asText().strip());
                }
            }
        } else {
            return null;
        }
        return List.copyOf(rooms);
    }

    private static Uni<Response> bad(String detail) {
        return Uni.createFrom().item(Problems.of(400, "Invalid send", detail));
    }
}
