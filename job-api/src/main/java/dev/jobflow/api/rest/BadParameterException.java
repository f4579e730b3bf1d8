package dev.jobflow.api.rest;

/** A query or path parameter that cannot be read; a 400 problem naming it. */
public class BadParameterException extends RuntimeException {
    private final String parameter;

    public BadParameterException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
