package dev.jobflow.k8s.sim;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.jobflow.testing.ServiceProcess;

/**
 * The dispatcher "Deployment" of the simulation: real dispatcher processes started and stopped
 * like pods. A removed replica gets SIGTERM and is given the pod's termination grace period to
 * drain and exit by itself; one that needs SIGKILL is recorded as a failure.
 */
final class DispatcherFleet implements AutoCloseable {
    private final Path module;
    private final Map<String, String> env;
    private final Duration terminationGrace;
    private final List<ServiceProcess> live = new ArrayList<>();
    private final List<CompletableFuture<Void>> stopping = new ArrayList<>();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private int started;

    DispatcherFleet(Path module, Map<String, String> env, Duration terminationGrace) {
        this.module = module;
        this.env = env;
        this.terminationGrace = terminationGrace;
    }

    /** Starts or stops replicas until {@code desired} are live; stops the newest first. */
    synchronized void scaleTo(int desired, Collection<String> busyOwners, long atMillis) throws IOException {
        while (live.size() < desired) {
            ServiceProcess replica = ServiceProcess.start("dispatcher-" + ++started, module, "JOBFLOW_DISPATCHER_PORT",
                    env);
            live.add(replica);
            events.add(String.format("t=%5.1fs start %s", atMillis / 1000.0, replica));
        }
        while (live.size() > desired) {
            ServiceProcess victim = pickVictim(busyOwners);
            live.remove(victim);
            boolean busy = busyOwners.stream().anyMatch(owner -> ownedBy(owner, victim));
            events.add(String.format("t=%5.1fs SIGTERM %s (%s)", atMillis / 1000.0, victim,
                    busy ? "running a job: must drain it" : "no job of its own seen running"));
            stopping.add(CompletableFuture.runAsync(() -> stop(victim)));
        }
    }

    /** Prefers a replica that runs a job (the drain is what the simulation wants to exercise). */
    private ServiceProcess pickVictim(Collection<String> busyOwners) {
        for (int i = live.size() - 1; i >= 0; i--) {
            ServiceProcess candidate = live.get(i);
            if (busyOwners.stream().anyMatch(owner -> ownedBy(owner, candidate))) {
                return candidate;
            }
        }
        return live.get(live.size() - 1);
    }

    /** Lease owners name their replica; the pid (or port) is how a process can be recognised. */
    private static boolean ownedBy(String owner, ServiceProcess process) {
        return owner != null && (owner.matches(".*\\b" + process.pid() + "\\b.*")
                || owner.matches(".*\\b" + process.port() + "\\b.*"));
    }

    private void stop(ServiceProcess victim) {
        try {
            int exit = victim.terminate(terminationGrace);
            events.add("exited " + victim + " with " + exit);
            if (exit != 0 && exit != 143) {
                failures.add(victim + " exited with " + exit + " after SIGTERM");
            }
        } catch (IllegalStateException | InterruptedException e) {
            failures.add(e.getMessage());
        }
    }

    synchronized int size() {
        return live.size();
    }

    synchronized int ready() {
        return (int) live.stream().filter(ServiceProcess::isReady).count();
    }

    synchronized int stopping() {
        return (int) stopping.stream().filter(f -> !f.isDone()).count();
    }

    List<String> events() {
        return events;
    }

    List<String> failures() {
        return failures;
    }

    /** Waits for every SIGTERMed replica to be gone. */
    void awaitStopped() {
        List<CompletableFuture<Void>> all;
        synchronized (this) {
            all = List.copyOf(stopping);
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    @Override
    public void close() throws InterruptedException {
        List<ServiceProcess> remaining;
        synchronized (this) {
            remaining = List.copyOf(live);
            live.clear();
        }
        for (ServiceProcess process : remaining) {
            process.close();
        }
        awaitStopped();
    }
}
