package dev.jobflow.hub.rest;

import java.util.List;

/**
 * The answer of a send, like the seed's message service: {@code success} when every room took the
 * message, {@code partial} when some did, {@code error} when none did; one result per room.
 */
public record SendResult(String status, List<RoomResult> rooms) {

    /** {@code offset} when the room took it, else {@code error}. */
    public record RoomResult(String room, String status, Long offset, String error) {
    }
}
