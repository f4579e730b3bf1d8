package dev.jobflow.api.rest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.Response;

/** An RFC 9457 problem detail: type, title, status, detail and extension members. */
public final class Problem {
    public static final String MEDIA_TYPE = "application/problem+json";

    private static final Set<String> STANDARD = Set.of("type", "title", "status", "detail");

    private final Map<String, Object> body = new LinkedHashMap<>();

    private Problem(int status, String title, String detail) {
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
    }

    public static Problem of(int status, String title, String detail) {
        return new Problem(status, title, detail);
    }

    /** Adds an extension member; the standard members (type, title, status, detail) cannot be replaced. */
    public Problem with(String member, Object value) {
        if (body.containsKey(member) && STANDARD.contains(member)) {
            throw new IllegalArgumentException("'" + member + "' is a standard problem member");
        }
        body.put(member, value);
        return this;
    }

    public Response response() {
        return Response.status((Integer) body.get("status")).type(MEDIA_TYPE).entity(body).build();
    }
}
