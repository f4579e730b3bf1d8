package dev.jobflow.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Named SQL statements loaded from a classpath file in which each statement follows a line
 * {@code -- name: <name>}. Comment lines are kept out of the statement text.
 */
public final class NamedQueries {
    private final String resource;
    private final Map<String, String> statements;

    private NamedQueries(String resource, Map<String, String> statements) {
        this.resource = resource;
        this.statements = statements;
    }

    public static NamedQueries load(String resource) {
        try (InputStream in = NamedQueries.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("SQL resource not found on the classpath: " + resource);
            }
            return new NamedQueries(resource, parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> parse(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        String name = null;
        StringBuilder sql = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("-- name:")) {
                put(result, name, sql);
                name = trimmed.substring("-- name:".length()).strip();
                sql.setLength(0);
            } else if (!trimmed.startsWith("--") && !trimmed.isEmpty() && name != null) {
                sql.append(line).append('\n');
            }
        }
        put(result, name, sql);
        return result;
    }

    private static void put(Map<String, String> result, String name, StringBuilder sql) {
        if (name != null) {
            String statement = sql.toString().strip();
            if (statement.endsWith(";")) {
                statement = statement.substring(0, statement.length() - 1);
            }
            if (result.put(name, statement) != null) {
                throw new IllegalStateException("duplicate statement name: " + name);
            }
        }
    }

    public String get(String name) {
        String sql = statements.get(name);
        if (sql == null) {
            throw new IllegalStateException("no statement named '" + name + "' in " + resource);
        }
        return sql;
    }

    public Map<String, String> all() {
        return Map.copyOf(statements);
    }
}
