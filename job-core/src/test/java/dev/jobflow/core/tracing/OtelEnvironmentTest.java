package dev.jobflow.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Tracing is off unless the OTEL_* variables configure it; what they set reaches Quarkus' settings. */
class OtelEnvironmentTest {

    @Test
    void offWithoutAnEndpointOnWithOneAndTheExplicitSwitchWins() {
        assertThat(new OtelEnvironment(Map.of()).getValue("quarkus.otel.sdk.disabled")).isEqualTo("true");
        assertThat(new OtelEnvironment(Map.of("OTEL_SERVICE_NAME", "x")).getValue("quarkus.otel.sdk.disabled"))
                .isEqualTo("true");
        assertThat(new OtelEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318"))
                .getValue("quarkus.otel.sdk.disabled")).isEqualTo("false");
        assertThat(new OtelEnvironment(Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318/v1/traces"))
                .getValue("quarkus.otel.sdk.disabled")).isEqualTo("false");
        assertThat(new OtelEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SDK_DISABLED",
                "true")).getValue("quarkus.otel.sdk.disabled")).isEqualTo("true");
        assertThat(new OtelEnvironment(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_TRACES_EXPORTER",
                "none")).getValue("quarkus.otel.sdk.disabled")).isEqualTo("true");
    }

    @Test
    void theStandardVariablesBecomeQuarkusSettings() {
        OtelEnvironment source = new OtelEnvironment(Map.of(
                "OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318",
                "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
                "OTEL_EXPORTER_OTLP_HEADERS", "authorization=Bearer x",
                "OTEL_SERVICE_NAME", "jobs-eu",
                "OTEL_TRACES_SAMPLER_ARG", "0.25",
                "OTEL_BSP_SCHEDULE_DELAY", "200"));
        assertThat(source.getProperties()).containsEntry("quarkus.otel.exporter.otlp.endpoint", "http://collector:4318")
                .containsEntry("quarkus.otel.exporter.otlp.protocol", "http/protobuf")
                .containsEntry("quarkus.otel.exporter.otlp.headers", "authorization=Bearer x")
                .containsEntry("quarkus.otel.service.name", "jobs-eu")
                .containsEntry("quarkus.otel.traces.sampler.arg", "0.25")
                .containsEntry("quarkus.otel.bsp.schedule.delay", "200ms");
        assertThat(new OtelEnvironment(Map.of()).getPropertyNames()).containsExactly("quarkus.otel.sdk.disabled");
    }
}
