package dev.jobflow.hub.auth;

/** A token was refused; the message says why and never contains the token. */
public class AuthException extends RuntimeException {
    public AuthException(String message) {
        super(message);
    }
}
