package dev.jobflow.dispatcher.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

import jakarta.enterprise.context.ApplicationScoped;

/** This replica's id: configured, or host name + pid (unique per process, stable in logs). */
@ApplicationScoped
public class ReplicaIdentity {
    private final String id;

    ReplicaIdentity(DispatcherConfig config) {
        this.id = config.replicaId().orElseGet(() -> hostName() + "-" + ProcessHandle.current().pid());
    }

    public String id() {
        return id;
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "dispatcher";
        }
    }
}
