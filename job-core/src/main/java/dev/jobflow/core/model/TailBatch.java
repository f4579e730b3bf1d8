package dev.jobflow.core.model;

import java.util.List;

/**
 * One read of the progress log by a tailer: the entries after its cursor, in offset order, and the
 * database snapshot the read saw (used to decide when a hole below a visible offset is final).
 */
public record TailBatch(List<LogEntry> entries, String snapshot) {
}
