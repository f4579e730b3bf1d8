package dev.jobflow.api.auth;

/** The caller is identified but may not do this (e.g. act for another user): 403 at the edge. */
public class ForbiddenException extends RuntimeException {

    public ForbiddenException(String detail) {
        super(detail);
    }
}
