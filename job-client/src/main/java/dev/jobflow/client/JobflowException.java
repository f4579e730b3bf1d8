package dev.jobflow.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A call that did not succeed. For an HTTP error it carries the RFC 9457 problem job-api answered with:
 * {@link #status()}, {@link #title()}, {@link #detail()}, {@link #type()} and every other member in
 * {@link #extras()} (e.g. {@code errors} for a 400, {@code jobId} and {@code jobStatus} for a 409). When no
 * HTTP answer came (connection refused, timeout) {@link #status()} is 0 and the cause says why.
 */
public class JobflowException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final String title;
    private final String detail;
    private final transient Map<String, Object> extras;

    public JobflowException(int status, String type, String title, String detail, Map<String, Object> extras,
            Throwable cause) {
        super(message(status, title, detail), cause);
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
        this.extras = extras == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
    }

    /** No HTTP answer: the request could not be sent or its answer not read. */
    static JobflowException transport(String what, Throwable cause) {
        return new JobflowException(0, null, "No answer", what + ": " + cause, Map.of(), cause);
    }

    /** The HTTP status of the answer; 0 when none came. */
    public int status() {
        return status;
    }

    /** The problem's {@code type} URI ({@code about:blank} when the server gives none). */
    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** The problem's members other than type, title, status and detail; never null. */
    public Map<String, Object> extras() {
        return extras;
    }

    /** One extension member, e.g. {@code extra("jobStatus")}. */
    public Optional<Object> extra(String member) {
        return Optional.ofNullable(extras.get(member));
    }

    /** The validation errors of a 400 ({@code errors[]}: field and message), empty when there are none. */
    @SuppressWarnings("unchecked")
    public List<Map<String, Object>> errors() {
        return extras.get("errors") instanceof List<?> list
                ? list.stream().filter(Map.class::isInstance).map(e -> (Map<String, Object>) e).toList()
                : List.of();
    }

    /** Whether no HTTP answer came (status 0). */
    public boolean isTransportFailure() {
        return status == 0;
    }

    private static String message(int status, String title, String detail) {
        StringBuilder message = new StringBuilder();
        if (status > 0) {
            message.append(status).append(' ');
        }
        message.append(title == null ? "Error" : title);
        if (detail != null && !detail.isBlank()) {
            message.append(": ").append(detail);
        }
        return message.toString();
    }
}
