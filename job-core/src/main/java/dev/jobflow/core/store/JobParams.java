package dev.jobflow.core.store;

import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A job's parameters as JSON text and back, the same for every backend's params column. */
public final class JobParams {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private JobParams() {
    }

    /** The stored JSON object as a map; null or blank is an empty map. */
    public static Map<String, Object> parse(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return MAPPER.readValue(json, MAP);
        } catch (Exception e) {
            throw new Undecodable(e.getMessage(), e);
        }
    }

    /**
     * A job's stored params cannot be read as a JSON object (a row written before the strict checks
     * of V012, or by hand). A claim fails such a job with {@link #getMessage()} as its error instead
     * of failing the whole claim.
     */
    public static final class Undecodable extends IllegalStateException {
        public Undecodable(String detail, Throwable cause) {
            super(ColumnLimits.truncateToBytes("params are not a JSON object, the job cannot run: " + detail,
                    ColumnLimits.ERROR_BYTES), cause);
        }
    }

    /** Any JSON value as plain Java values (maps, lists, strings, numbers, booleans, null). */
    public static Object parseValue(String json) {
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a stored JSON value cannot be read: " + e.getMessage(), e);
        }
    }

    /** Any value as JSON text. */
    public static String writeValue(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    public static String write(Map<String, Object> params) {
        try {
            return MAPPER.writeValueAsString(params);
        } catch (Exception e) {
            throw new IllegalArgumentException("params cannot be written as JSON", e);
        }
    }
}
