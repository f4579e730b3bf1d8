package dev.jobflow.core.model;

import java.util.List;

/** Audit entries newest first; {@code nextBeforeId} (null on the last page) reads on. */
public record AuditPage(List<AuditEntry> items, Long nextBeforeId) {
}
