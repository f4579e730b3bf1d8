package dev.jobflow.core.model;

/**
 * What a bulk request does to the jobs its filter matches: retry in place (failed and cancelled
 * ones), cancel (queued ones at once, running ones flagged), or delete (finished ones). Jobs the
 * action does not apply to are left alone and not counted.
 */
public enum BulkAction {
    RETRY,
    CANCEL,
    DELETE
}
