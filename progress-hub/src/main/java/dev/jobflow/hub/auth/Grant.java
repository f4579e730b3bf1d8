package dev.jobflow.hub.auth;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a verified token allows: its subject, the rooms it names exactly, the room prefixes it grants
 * and when it expires.
 */
public record Grant(String subject, Set<String> rooms, List<String> prefixes, Instant expiresAt) {

    public boolean allows(String room) {
        return rooms.contains(room) || prefixes.stream().anyMatch(room::startsWith);
    }
}
