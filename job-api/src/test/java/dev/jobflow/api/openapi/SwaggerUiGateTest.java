package dev.jobflow.api.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The setting wins; without it the Swagger UI is on in local mode only. */
class SwaggerUiGateTest {

    @Test
    void onInLocalModeOffOtherwiseUnlessTheSettingSays() {
        assertThat(SwaggerUiGate.served(Optional.empty(), Optional.of("local"))).isTrue();
        assertThat(SwaggerUiGate.served(Optional.empty(), Optional.empty())).isFalse();
        assertThat(SwaggerUiGate.served(Optional.empty(), Optional.of(" "))).isFalse();
        assertThat(SwaggerUiGate.served(Optional.of(true), Optional.empty())).isTrue();
        assertThat(SwaggerUiGate.served(Optional.of(false), Optional.of("local"))).isFalse();
    }
}
