package dev.jobflow.core.tracing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is configured by the standard OpenTelemetry environment variables and is off unless they
 * configure it. Quarkus reads {@code quarkus.otel.*}; this source (discovered by every service, ordinal
 * 275: over {@code application.properties}, under {@code QUARKUS_OTEL_*} variables) gives those
 * settings from the {@code OTEL_*} ones:
 *
 * <ul>
 * <li>{@code quarkus.otel.sdk.disabled}: {@code OTEL_SDK_DISABLED} when set; otherwise true unless
 * {@code OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} is set (and
 * {@code OTEL_TRACES_EXPORTER} is not {@code none}). Disabled, Quarkus installs no tracer at all: no
 * span, no header parsing, nothing per request or per job.</li>
 * <li>the OTLP endpoint, protocol ({@code grpc}, {@code http/protobuf}), headers and timeout, the
 * service name and resource attributes, the sampler's argument and the batch processor's delay.</li>
 * </ul>
 * The sampler itself ({@code OTEL_TRACES_SAMPLER}) is read by {@link EnvSampler}: Quarkus fixes its own
 * sampler setting at build time.
 */
public final class OtelEnvironment implements ConfigSource {
    static final Map<String, String> MAPPED = Map.ofEntries(
            Map.entry("OTEL_EXPORTER_OTLP_ENDPOINT", "quarkus.otel.exporter.otlp.endpoint"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "quarkus.otel.exporter.otlp.traces.endpoint"),
            Map.entry("OTEL_EXPORTER_OTLP_PROTOCOL", "quarkus.otel.exporter.otlp.protocol"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "quarkus.otel.exporter.otlp.traces.protocol"),
            Map.entry("OTEL_EXPORTER_OTLP_HEADERS", "quarkus.otel.exporter.otlp.headers"),
            Map.entry("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "quarkus.otel.exporter.otlp.traces.headers"),
            Map.entry("OTEL_EXPORTER_OTLP_TIMEOUT", "quarkus.otel.exporter.otlp.timeout"),
            Map.entry("OTEL_SERVICE_NAME", "quarkus.otel.service.name"),
            Map.entry("OTEL_RESOURCE_ATTRIBUTES", "quarkus.otel.resource.attributes"),
            Map.entry("OTEL_TRACES_SAMPLER_ARG", "quarkus.otel.traces.sampler.arg"),
            Map.entry("OTEL_BSP_SCHEDULE_DELAY", "quarkus.otel.bsp.schedule.delay"));
    private static final Set<String> MILLISECONDS = Set.of("OTEL_EXPORTER_OTLP_TIMEOUT", "OTEL_BSP_SCHEDULE_DELAY");

    private final Map<String, String> properties;

    public OtelEnvironment() {
        this(System.getenv());
    }

    OtelEnvironment(Map<String, String> env) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("quarkus.otel.sdk.disabled", Boolean.toString(!enabled(env)));
        MAPPED.forEach((variable, property) -> {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) {
                // the OTEL_* durations are milliseconds; Quarkus reads a bare number as seconds
                props.put(property, MILLISECONDS.contains(variable) && value.strip().matches("\\d+")
                        ? value.strip() + "ms"
                        : value.strip());
            }
        });
        this.properties = Map.copyOf(props);
    }

    /** Whether the variables ask for traces to be exported. */
    static boolean enabled(Map<String, String> env) {
        String disabled = env.get("OTEL_SDK_DISABLED");
        if (disabled != null && !disabled.isBlank()) {
            return !Boolean.parseBoolean(disabled.strip());
        }
        if ("none".equalsIgnoreCase(env.getOrDefault("OTEL_TRACES_EXPORTER", "").strip())) {
            return false;
        }
        return isSet(env, "OTEL_EXPORTER_OTLP_ENDPOINT") || isSet(env, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    }

    private static boolean isSet(Map<String, String> env, String name) {
        String value = env.get(name);
        return value != null && !value.isBlank();
    }

    @Override
    public Map<String, String> getProperties() {
        return properties;
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "OTEL_* environment variables";
    }

    @Override
    public int getOrdinal() {
        return 275;
    }
}
