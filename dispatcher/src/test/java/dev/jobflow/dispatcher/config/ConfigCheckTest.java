package dev.jobflow.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

/** Start-up validation: the defaults pass, unsafe combinations are refused with a clear message. */
class ConfigCheckTest {

    @Test
    void theDefaultsAreValid() {
        DispatcherConfig config = config(Map.of());
        assertThatCode(() -> ConfigCheck.validate(config)).doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThat(config.slots()).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThat(config.pollWait()).isEqualTo(Duration.ofSeconds(20));
        org.assertj.core.api.Assertions.assertThat(config.globalCap()).isEmpty();
    }

    @Test
    void aHeartbeatTooCloseToTheLeaseIsRefused() {
        assertThatThrownBy(() -> ConfigCheck.validate(config(Map.of(
                "jobflow.dispatcher.lease-length", "10s", "jobflow.dispatcher.heartbeat-interval", "6s"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("heartbeat-interval");
    }

    @Test
    void aReplicaRetentionShorterThanThreeHeartbeatsIsRefused() {
        assertThatThrownBy(() -> ConfigCheck.validate(config(Map.of(
                "jobflow.dispatcher.heartbeat-interval", "5s", "jobflow.dispatcher.retention.replicas-max-age", "14s"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("replicas-max-age");
        ConfigCheck.validate(config(Map.of("jobflow.dispatcher.heartbeat-interval", "5s",
                "jobflow.dispatcher.retention.replicas-max-age", "15s")));
    }

    @Test
    void zeroSlotsAndAZeroCapAreRefused() {
        assertThatThrownBy(() -> ConfigCheck.validate(config(Map.of(
                "jobflow.dispatcher.slots", "0", "jobflow.dispatcher.global-cap", "0"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("slots")
                .hasMessageContaining("global-cap");
    }

    private static DispatcherConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(DispatcherConfig.class)
                .withSources(new MapBackedConfigSource("test", values) {
                }).withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .build();
        return config.getConfigMapping(DispatcherConfig.class);
    }
}
