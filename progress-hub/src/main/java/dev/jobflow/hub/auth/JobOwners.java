package dev.jobflow.hub.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;

import dev.jobflow.core.store.JobCatalog;

/**
 * Whose a job room is: a token with {@code own_jobs} grants {@code job:{id}} when the job's owner is
 * the token's subject, read from the store (the job row), so a token need not list every job. A room
 * of a job that does not exist is nobody's.
 */
@ApplicationScoped
public class JobOwners {
    private static final Pattern JOB_ROOM = Pattern.compile("job:([1-9][0-9]{0,17})");

    private final JobCatalog jobs;

    JobOwners(JobCatalog jobs) {
        this.jobs = jobs;
    }

    /** Whether {@code room} is a job's room, {@code job:{id}}. */
    public static boolean isJobRoom(String room) {
        return JOB_ROOM.matcher(room).matches();
    }

    /** Whether {@code room} is the room of a job {@code subject} owns. */
    public Uni<Boolean> owns(String subject, String room) {
        Matcher m = JOB_ROOM.matcher(room);
        if (!m.matches()) {
            return Uni.createFrom().item(false);
        }
        return jobs.findJob(Long.parseLong(m.group(1)))
                .map(job -> job.isPresent() && job.get().owner().equals(subject));
    }
}
