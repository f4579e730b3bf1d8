package dev.jobflow.core.model;

import java.util.List;

/** One page of jobs, newest first; {@code nextBeforeId} is null on the last page. */
public record JobPage(List<Job> items, Long nextBeforeId) {
}
