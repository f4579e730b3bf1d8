package dev.jobflow.bench.scenario;

import java.util.List;
import java.util.Optional;

/** Every scenario, in the order of docs/benchmarks.md. */
public final class Scenarios {

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return List.of(new SubmitScenario(), new StoreDrainScenario(), new DrainScenario(), new PickupScenario(),
                new ProgressScenario(), new HubCapacityScenario(), new StartupScenario(), new SoakScenario());
    }

    public static Optional<Scenario> find(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
