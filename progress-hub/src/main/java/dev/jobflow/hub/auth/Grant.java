package dev.jobflow.hub.auth;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What a verified token allows: its subject, the rooms it names exactly, the room prefixes it grants,
 * whether it grants the rooms {@code job:{id}} of the subject's own jobs ({@code own_jobs}: the hub
 * checks each job's owner itself, {@link JobOwners}) and when it expires.
 */
public record Grant(String subject, Set<String> rooms, List<String> prefixes, boolean ownJobs, Instant expiresAt) {

    /** Whether the token names this room or a prefix of it (a job room of the subject's own is checked apart). */
    public boolean allows(String room) {
        return rooms.contains(room) || prefixes.stream().anyMatch(room::startsWith);
    }
}
