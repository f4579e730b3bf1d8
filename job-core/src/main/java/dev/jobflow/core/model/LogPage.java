package dev.jobflow.core.model;

import java.util.List;

/** Log lines oldest first; {@code nextAfterId} (null on the last page) reads on from there. */
public record LogPage(List<LogLine> items, Long nextAfterId) {
}
