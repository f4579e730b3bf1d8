package dev.jobflow.k8s;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The plain manifests for kubectl users: the chart rendered with {@code k8s/manifests/values.yaml},
 * split into the order they are applied in (the ServiceAccount and the migration Job, the
 * services, the KEDA ScaledObject that needs the KEDA CRDs).
 */
final class PlainManifests {
    static final String MIGRATION = "00-migration.yaml";
    static final String SERVICES = "10-jobflow.yaml";
    static final String SCALED_OBJECT = "20-dispatcher-scaledobject.yaml";
    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");
    private static final YAMLMapper YAML = new YAMLMapper();

    private PlainManifests() {
    }

    /** File name to content, as they should be in {@code k8s/manifests}. */
    static Map<String, String> generate() {
        String rendered = Chart.template(List.of(Chart.k8sDir().resolve("manifests/values.yaml")), Map.of());
        Map<String, StringBuilder> files = new LinkedHashMap<>();
        for (String name : List.of(MIGRATION, SERVICES, SCALED_OBJECT)) {
            files.put(name, new StringBuilder(header(name)));
        }
        for (String document : DOCUMENT_SEPARATOR.split(rendered)) {
            if (document.isBlank()) {
                continue;
            }
            files.get(fileOf(document)).append("---\n").append(document.strip()).append('\n');
        }
        Map<String, String> result = new LinkedHashMap<>();
        files.forEach((name, content) -> result.put(name, content.toString()));
        return result;
    }

    private static String fileOf(String document) {
        try {
            JsonNode tree = YAML.readTree(document);
            if ("ScaledObject".equals(tree.path("kind").asText())) {
                return SCALED_OBJECT;
            }
            boolean migration = "migration".equals(tree.path("metadata").path("labels")
                    .path("app.kubernetes.io/component").asText());
            String kind = tree.path("kind").asText();
            return "ServiceAccount".equals(kind) || migration && "Job".equals(kind) ? MIGRATION : SERVICES;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String header(String name) {
        return "# " + name + ": generated from the chart k8s/jobflow with k8s/manifests/values.yaml (release and\n"
                + "# namespace \"jobflow\"). Do not edit: change the chart and regenerate (see values.yaml here);\n"
                + "# PlainManifestsTest fails when this file and the chart disagree.\n";
    }
}
