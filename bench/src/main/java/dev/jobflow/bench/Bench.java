package dev.jobflow.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.jobflow.bench.core.BenchStack;
import dev.jobflow.bench.core.Options;
import dev.jobflow.bench.core.Report;
import dev.jobflow.bench.scenario.Scenario;
import dev.jobflow.bench.scenario.Scenarios;

/**
 * {@code bin/bench <scenario>|all|list [--smoke] [--out=DIR] [--name=value ...]}: runs a scenario
 * against the built services on a fresh database, prints its table and writes it as JSON (to
 * {@code bench/results/}, or {@code bench/target/bench-smoke/} with {@code --smoke}).
 * Exit status: 0 done, 2 usage error, 3 skipped (a needed service is not built yet).
 */
public final class Bench {
    public static final int SKIPPED = 3;

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        // Flyway and Vert.x log through java.util.logging: keep the tables readable.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        System.exit(run(Arrays.asList(args)));
    }

    static int run(List<String> args) throws Exception {
        if (args.isEmpty() || args.get(0).equals("list") || args.get(0).startsWith("-")) {
            usage();
            return args.isEmpty() || !args.get(0).equals("list") ? 2 : 0;
        }
        List<String> rest = new ArrayList<>(args.subList(1, args.size()));
        boolean smoke = rest.remove("--smoke");
        Path out = Path.of(smoke ? "target/bench-smoke" : "results");
        for (String arg : List.copyOf(rest)) {
            if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring("--out=".length()));
                rest.remove(arg);
            }
        }
        List<Scenario> chosen = args.get(0).equals("all") ? Scenarios.all()
                : Scenarios.find(args.get(0)).map(List::of).orElse(List.of());
        if (chosen.isEmpty()) {
            System.err.println("unknown scenario '" + args.get(0) + "'");
            usage();
            return 2;
        }
        int status = 0;
        for (Scenario scenario : chosen) {
            Optional<String> missing = scenario.needs().stream().filter(m -> !BenchStack.built(m)).findFirst();
            if (missing.isPresent()) {
                System.out.println("== " + scenario.name() + ": skipped, " + missing.get()
                        + " is not built or has no code yet");
                status = Math.max(status, SKIPPED);
                continue;
            }
            Options options = Options.parse(rest);
            Report report = scenario.run(options, smoke);
            report.print(System.out);
            if (!options.unread().isEmpty()) {
                System.out.println("   warning: options not used by " + scenario.name() + ": " + options.unread());
            }
            System.out.println("   written: " + report.write(out).toAbsolutePath());
        }
        return status;
    }

    private static void usage() {
        System.err.println("usage: bin/bench <scenario>|all|list [--smoke] [--out=DIR] [--name=value ...]");
        System.err.println("scenarios:");
        for (Scenario s : Scenarios.all()) {
            System.err.printf("  %-14s %s (needs %s)%n", s.name(), s.description(), String.join(", ", s.needs()));
        }
    }
}
