package dev.jobflow.core.params;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What a dispatcher declares about one job type it runs: the type and, when declared, its
 * parameters. A declared list is closed (a parameter it does not name is refused, so a misspelt
 * name is caught at submit); {@code params} null means not declared: any params are taken.
 */
public record JobTypeSpec(String type, List<ParamSpec> params) {

    public JobTypeSpec {
        params = params == null ? null : List.copyOf(params);
        if (params != null && params.stream().map(ParamSpec::name).distinct().count() != params.size()) {
            throw new IllegalArgumentException("job type '" + type + "' declares a parameter twice");
        }
    }

    /** A type without a declaration: any params are taken. */
    public static JobTypeSpec undeclared(String type) {
        return new JobTypeSpec(type, null);
    }

    /**
     * Every problem of {@code given} (a job's params; null is none), each {@code {"field":
     * "params.<name>", "message"}}, in declaration order and then the unknown names; empty when
     * they are valid or the type declares nothing.
     */
    public List<Map<String, String>> violations(Map<String, Object> given) {
        if (params == null) {
            return List.of();
        }
        Map<String, Object> values = given == null ? Map.of() : given;
        List<Map<String, String>> errors = new ArrayList<>();
        for (ParamSpec param : params) {
            Object value = values.get(param.name());
            Optional<String> problem = value == null
                    ? param.required() ? Optional.of("is required by job type '" + type + "'") : Optional.empty()
                    : param.check(value);
            problem.ifPresent(message -> errors.add(error(param.name(), message)));
        }
        Map<String, ParamSpec> byName = new LinkedHashMap<>();
        params.forEach(param -> byName.put(param.name(), param));
        for (String name : values.keySet()) {
            if (!byName.containsKey(name)) {
                errors.add(error(name, "is not a parameter of job type '" + type + "' (its parameters: "
                        + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ")"));
            }
        }
        return errors;
    }

    /** The violations as one line, for a job's error: {@code params.a: message; params.b: message}. */
    public static String describe(List<Map<String, String>> violations) {
        return violations.stream().map(e -> e.get("field") + " " + e.get("message")).collect(Collectors.joining("; "));
    }

    private static Map<String, String> error(String name, String message) {
        return Map.of("field", "params." + name, "message", message);
    }
}
