package dev.jobflow.bench.scenario;

import java.util.List;

import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Report;

/** One benchmark: what it measures, which services it needs, and how to run it. */
public interface Scenario {

    String name();

    String description();

    /** The service modules it starts; when one is not built yet the scenario is skipped. */
    List<String> needs();

    /**
     * Runs with the given options; {@code smoke} picks tiny defaults (seconds, a few hundred
     * items) so the test build can run every scenario.
     */
    Report run(Options options, boolean smoke) throws Exception;
}
