package dev.jobflow.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.scenario.Scenario;
import dev.jobflow.bench.scenario.Scenarios;

/**
 * Every scenario in its smoke mode (tiny parameters, seconds), so the harness never rots. Asserts
 * the shape of the result and the correctness checks the scenarios make (every job completed once,
 * every message received), never the numbers. A scenario whose service is not built yet is skipped.
 */
class BenchSmokeIT {

    static Stream<String> scenarios() {
        return Scenarios.all().stream().map(Scenario::name);
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void producesAWellFormedResult(String name) throws Exception {
        Scenario scenario = Scenarios.find(name).orElseThrow();
        for (String module : scenario.needs()) {
            assumeTrue(BenchStack.built(module), module + " is not built or has no code yet");
        }

        Report report = scenario.run(Options.of(Map.of()), true);
        Path file = report.write(Path.of("target/bench-smoke"));

        JsonObject json = new JsonObject(Files.readString(file));
        assertThat(json.getString("scenario")).isEqualTo(name);
        assertThat(json.getJsonObject("parameters")).isNotNull();
        assertThat(json.getJsonObject("machine_before").getString("loadavg")).isNotBlank();
        JsonArray rows = json.getJsonArray("rows");
        assertThat(rows).isNotEmpty();
        for (Object row : rows) {
            JsonObject r = (JsonObject) row;
            assertThat(r.fieldNames()).isNotEmpty();
            if (r.containsKey("check")) {
                assertThat(r.getString("check")).as("correctness check of %s", r).isEqualTo("ok");
            }
        }
        assertThat(json.getJsonObject("breakdown")).isNotNull();
    }

    /** The command-line entry point lists the scenarios and rejects an unknown one. */
    @ParameterizedTest
    @MethodSource("usages")
    void commandLineUsage(List<String> args, int status) throws Exception {
        assertThat(Bench.run(args)).isEqualTo(status);
    }

    static Stream<Arguments> usages() {
        return Stream.of(Arguments.of(List.of("list"), 0),
                Arguments.of(List.of("no-such-scenario"), 2),
                Arguments.of(List.of(), 2));
    }
}
