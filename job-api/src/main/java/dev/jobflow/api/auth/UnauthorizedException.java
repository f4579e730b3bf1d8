package dev.jobflow.api.auth;

/** The request has no acceptable identity: 401 with {@code WWW-Authenticate: Bearer} at the edge. */
public class UnauthorizedException extends RuntimeException {

    public UnauthorizedException(String detail) {
        super(detail);
    }
}
