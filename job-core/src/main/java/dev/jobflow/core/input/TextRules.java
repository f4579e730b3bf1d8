package dev.jobflow.core.input;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What any text that job-api stores must be: free of NUL (PostgreSQL refuses it in text and JSON)
 * and valid UTF-16 (a lone surrogate cannot be stored as UTF-8 without turning into '?'). Checked
 * at the edge, so such input is a 400 naming the field, never a database error.
 */
public final class TextRules {

    /** A regular expression for {@code @Pattern}: text without NUL (a name in a path that is looked up as is). */
    public static final String NO_NUL = "[^\\u0000]*";
    public static final String NO_NUL_RULE = "must not contain the NUL character (\\u0000)";

    private TextRules() {
    }

    /**
     * The first field under {@code path} (a string, or the keys and values of nested maps and lists)
     * that breaks the rules, with what is wrong; empty when all is well.
     */
    public static Optional<Map<String, String>> firstViolation(String path, Object value) {
        if (value instanceof String text) {
            return problem(text).map(message -> Map.of("field", path, "message", message));
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                String inner = path + "." + key;
                Optional<String> keyProblem = problem(key);
                if (keyProblem.isPresent()) {
                    return Optional.of(Map.of("field", inner, "message", "the name " + keyProblem.get()));
                }
                Optional<Map<String, String>> found = firstViolation(inner, entry.getValue());
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                Optional<Map<String, String>> found = firstViolation(path + "." + i, list.get(i));
                if (found.isPresent()) {
                    return found;
                }
            }
        }
        return Optional.empty();
    }

    /** What is wrong with {@code text}, if anything. */
    public static Optional<String> problem(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\0') {
                return Optional.of("must not contain the NUL character (\\u0000)");
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return Optional.of("must be valid UTF-16 (a lone surrogate at position " + i + ")");
            }
            if (Character.isLowSurrogate(c)) {
                return Optional.of("must be valid UTF-16 (a lone surrogate at position " + i + ")");
            }
        }
        return Optional.empty();
    }
}
