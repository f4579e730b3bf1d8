package dev.jobflow.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One page of {@link JobflowClient#list(ListQuery)}, newest first.
 *
 * @param nextBeforeId the cursor of the next page (pass it as {@link ListQuery#before(Long)}); null on the last page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobPage(List<Job> items, Long nextBeforeId) {
    public JobPage {
        items = items == null ? List.of() : List.copyOf(items);
    }

    /** Whether there is a next page. */
    public boolean hasNext() {
        return nextBeforeId != null;
    }
}
