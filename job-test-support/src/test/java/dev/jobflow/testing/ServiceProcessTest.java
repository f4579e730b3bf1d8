package dev.jobflow.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ServiceProcessTest {

    @Test
    void freePortNeverHandsOutAPortTwice() throws IOException {
        // The kernel picks a free port at random: 1,000 picks from the ~28,000 ephemeral ports repeat one
        // almost surely (the birthday bound), and a repeat is two services of a stack on one port.
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(ports.add(ServiceProcess.freePort())).as("pick %d is new", i).isTrue();
        }
    }
}
