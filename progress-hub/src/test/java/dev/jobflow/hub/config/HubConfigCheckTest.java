package dev.jobflow.hub.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

/** Start-up validation of the hub's settings: the defaults pass, impossible values are refused by name. */
class HubConfigCheckTest {

    @Test
    void theDefaultsAreValid() {
        HubConfig config = config(Map.of());
        assertThatCode(() -> HubConfigCheck.validate(config)).doesNotThrowAnyException();
        assertThat(config.ws().outboxFrames()).isEqualTo(256);
    }

    @Test
    void impossibleValuesAreRefusedEachByName() {
        assertThatThrownBy(() -> HubConfigCheck.validate(config(Map.of(
                "jobflow.hub.ws.max-rooms", "0",
                "jobflow.hub.tail.poll-min", "500ms",
                "jobflow.hub.tail.poll-max", "100ms",
                "jobflow.hub.send.rate-per-key", "-1",
                "jobflow.hub.auth.token-secret", "too-short"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("ws.max-rooms")
                .hasMessageContaining("tail.poll-max")
                .hasMessageContaining("send.rate-per-key")
                .hasMessageContaining("token-secret")
                .hasMessageNotContaining("too-short");
    }

    @Test
    void aSecretAndJobApisPublicKeysAreOneOrTheOtherNeverBoth() {
        String secret = "a-secret-of-more-than-32-bytes-0123456789";
        assertThatCode(() -> HubConfigCheck.validate(config(Map.of("jobflow.hub.auth.token-jwks-url",
                "http://job-api/api/v1/tokens/jwks")))).doesNotThrowAnyException();
        assertThatThrownBy(() -> HubConfigCheck.validate(config(Map.of("jobflow.hub.auth.token-secret", secret,
                "jobflow.hub.auth.token-jwks-url", "http://job-api/api/v1/tokens/jwks"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("not both")
                .hasMessageNotContaining(secret);
    }

    private static HubConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(HubConfig.class)
                .withSources(new MapBackedConfigSource("test", values) {
                }).withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .build();
        return config.getConfigMapping(HubConfig.class);
    }
}
