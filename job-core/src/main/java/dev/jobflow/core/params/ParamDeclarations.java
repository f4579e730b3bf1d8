package dev.jobflow.core.params;

import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A type's declared parameters as the JSON text the {@code job_types} table keeps, and back. */
public final class ParamDeclarations {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<ParamSpec>> LIST = new TypeReference<>() {
    };

    /** The {@code job_types.params} column's size. */
    public static final int MAX_BYTES = 4000;

    private ParamDeclarations() {
    }

    /** Null (not declared) stays null. */
    public static String write(List<ParamSpec> params) {
        if (params == null) {
            return null;
        }
        String json;
        try {
            json = MAPPER.writeValueAsString(params);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("parameters cannot be written as JSON: " + e.getMessage(), e);
        }
        if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new IllegalArgumentException("a declaration of " + params.size() + " parameters is over "
                    + MAX_BYTES + " bytes as JSON: shorten its descriptions");
        }
        return json;
    }

    public static List<ParamSpec> read(String json) {
        if (json == null || json.isBlank()) {
            return null;
        }
        try {
            return MAPPER.readValue(json, LIST);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored parameter declaration cannot be read: " + e.getMessage(), e);
        }
    }

    /** A comma-separated list of {@link ParamSpec#parse one-line parameters} (configuration). */
    public static List<ParamSpec> parseList(String text) {
        return Arrays.stream(text.split(",")).filter(part -> !part.isBlank()).map(ParamSpec::parse).toList();
    }
}
