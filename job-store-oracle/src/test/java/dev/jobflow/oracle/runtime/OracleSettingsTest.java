package dev.jobflow.oracle.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.common.MapBackedConfigSource;

import dev.jobflow.core.runtime.DataSourceSettings;
import dev.jobflow.core.runtime.StoreConfig;
import dev.jobflow.oracle.OracleSchema;

/**
 * Backend selection fails fast with a message that names the setting: an unknown backend, or the
 * Oracle backend with a missing or non-Oracle URL. Runs without a server (nothing connects).
 */
class OracleSettingsTest {

    @Test
    void anUnknownBackendIsRejectedWhenTheConfigurationIsRead() {
        assertThatThrownBy(() -> config(Map.of("jobflow.store.backend", "mysql")))
                .hasMessageContaining("jobflow.store.backend").hasMessageContaining("mysql");
        assertThat(config(Map.of("jobflow.store.backend", "oracle")).getConfigMapping(StoreConfig.class).backend())
                .isEqualTo(StoreConfig.Backend.ORACLE);
    }

    @Test
    void theOracleDefaultsAreTheDocumentedOnes() {
        OracleStoreConfig oracle = config(Map.of()).getConfigMapping(OracleStoreConfig.class);
        assertThat(oracle.aqSessions()).isEqualTo(2);
        assertThat(oracle.watchWait().toSeconds()).isEqualTo(5);
        assertThat(oracle.schema()).isEmpty();
    }

    @Test
    void theSchemaIsTheLoginUserUnlessSetAndMustBeAPlainIdentifier() {
        assertThat(OracleSchema.of(Optional.empty(), "jobflow").owner()).isEqualTo("JOBFLOW");
        assertThat(OracleSchema.of(Optional.of(" jobflow "), "jobflow_app").owner()).isEqualTo("JOBFLOW");

        OracleStoreBackend injected = backend(Optional.of("jdbc:oracle:thin:@db:1521/FREEPDB1"), Optional.of("jobflow_app"));
        injected.oracle = config(Map.of("jobflow.store.oracle.schema", "jobflow; drop table jobs"))
                .getConfigMapping(OracleStoreConfig.class);
        assertThatThrownBy(injected::validate).hasMessageContaining("jobflow.store.oracle.schema")
                .hasMessageContaining("plain Oracle identifier");

        OracleStoreBackend proxyLogin = backend(Optional.of("jdbc:oracle:thin:@db:1521/FREEPDB1"),
                Optional.of("app[jobflow]"));
        assertThatThrownBy(proxyLogin::validate).hasMessageContaining("set jobflow.store.oracle.schema");
        proxyLogin.oracle = config(Map.of("jobflow.store.oracle.schema", "jobflow")).getConfigMapping(OracleStoreConfig.class);
        proxyLogin.validate();
    }

    @Test
    void theOracleBackendNeedsAnOracleUrlAndAUser() {
        OracleStoreBackend backend = backend(Optional.empty(), Optional.of("jobflow"));
        assertThatThrownBy(backend::validate).hasMessageContaining("quarkus.datasource.jdbc.url");

        OracleStoreBackend postgresUrl = backend(Optional.of("jdbc:postgresql://db:5432/jobflow"), Optional.of("jobflow"));
        assertThatThrownBy(postgresUrl::validate).hasMessageContaining("needs an Oracle JDBC URL")
                .hasMessageContaining("jdbc:postgresql://db:5432/jobflow");

        OracleStoreBackend noUser = backend(Optional.of("jdbc:oracle:thin:@db:1521/FREEPDB1"), Optional.empty());
        assertThatThrownBy(noUser::validate).hasMessageContaining("quarkus.datasource.username");

        backend(Optional.of("jdbc:oracle:thin:@db:1521/FREEPDB1"), Optional.of("jobflow")).validate();
    }

    @Test
    void theUrlInLogsCarriesNoPassword() {
        assertThat(dev.jobflow.oracle.OracleDatabase.redact("jdbc:oracle:thin:scott/tiger@db:1521/FREEPDB1"))
                .isEqualTo("jdbc:oracle:thin:@db:1521/FREEPDB1").doesNotContain("tiger");
    }

    private static OracleStoreBackend backend(Optional<String> url, Optional<String> user) {
        OracleStoreBackend backend = new OracleStoreBackend();
        backend.db = new DataSourceSettings(url, user, Optional.of("secret"));
        backend.oracle = config(Map.of()).getConfigMapping(OracleStoreConfig.class);
        return backend;
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new MapBackedConfigSource("test", properties) {
                })
                // Quarkus converts "5s"; plain SmallRye needs this stand-in for its DurationConverter.
                .withConverter(Duration.class, 200, value -> Duration.parse("PT" + value.toUpperCase(Locale.ROOT)))
                .withMapping(StoreConfig.class)
                .withMapping(OracleStoreConfig.class)
                .build();
    }
}
