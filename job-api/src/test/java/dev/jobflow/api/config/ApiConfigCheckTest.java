package dev.jobflow.api.config;

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

/** job-api's one configuration root: the documented names and defaults, and start-up validation. */
class ApiConfigCheckTest {

    @Test
    void theDefaultsAreValidAndKeepTheirDocumentedNames() {
        ApiConfig config = config(Map.of("jobflow.api.auth.trust-proxy-header", "true",
                "jobflow.api.page.hub-url", "http://hub:8082"));
        assertThatCode(() -> ApiConfigCheck.validate(config)).doesNotThrowAnyException();
        assertThat(config.auth().trustProxyHeader()).isTrue();
        assertThat(config.auth().userHeader()).isEqualTo("X-Forwarded-User");
        assertThat(config.auth().groupsHeader()).isEqualTo("X-Forwarded-Groups");
        assertThat(config.auth().adminGroups()).containsExactly("jobflow-admin");
        assertThat(config.auth().operatorGroups()).containsExactly("jobflow-operator");
        assertThat(config.auth().anonymousRole()).isEqualTo("admin");
        assertThat(config.page().hubUrl()).isEqualTo("http://hub:8082");
        assertThat(config.tokens().ttl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.metrics().refresh()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void impossibleValuesAreRefusedEachByName() {
        assertThatThrownBy(() -> ApiConfigCheck.validate(config(Map.of(
                "jobflow.api.auth.anonymous-user", "not a user",
                "jobflow.api.auth.anonymous-role", "root",
                "jobflow.api.tokens.secret", "short",
                "jobflow.api.tokens.ttl", "0s",
                "jobflow.api.metrics.refresh", "1ms"))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("anonymous-user")
                .hasMessageContaining("anonymous-role must be viewer, operator or admin")
                .hasMessageContaining("tokens.secret")
                .hasMessageContaining("tokens.ttl")
                .hasMessageContaining("metrics.refresh")
                .hasMessageNotContaining("short,");
    }

    private static ApiConfig config(Map<String, String> values) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ApiConfig.class)
                .withSources(new MapBackedConfigSource("test", values) {
                }).withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .build();
        return config.getConfigMapping(ApiConfig.class);
    }
}
