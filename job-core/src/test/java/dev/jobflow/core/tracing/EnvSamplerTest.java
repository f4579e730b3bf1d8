package dev.jobflow.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** OTEL_TRACES_SAMPLER and its argument choose the sampler; an unknown one is refused with the valid names. */
class EnvSamplerTest {

    @Test
    void theVariablesNameTheSampler() {
        assertThat(EnvSampler.of(Map.of()).getDescription()).startsWith("ParentBased{root:AlwaysOnSampler");
        assertThat(EnvSampler.of(Map.of("OTEL_TRACES_SAMPLER", "always_off")).getDescription())
                .isEqualTo("AlwaysOffSampler");
        assertThat(EnvSampler.of(Map.of("OTEL_TRACES_SAMPLER", "parentbased_traceidratio",
                "OTEL_TRACES_SAMPLER_ARG", "0.25")).getDescription()).contains("TraceIdRatioBased{0.250000}");
    }

    @Test
    void anUnknownSamplerOrArgumentIsRefused() {
        assertThatThrownBy(() -> EnvSampler.of(Map.of("OTEL_TRACES_SAMPLER", "sometimes")))
                .hasMessageContaining("parentbased_traceidratio");
        assertThatThrownBy(() -> EnvSampler.of(Map.of("OTEL_TRACES_SAMPLER_ARG", "half")))
                .hasMessageContaining("OTEL_TRACES_SAMPLER_ARG");
    }
}
