package dev.jobflow.dispatcher.run;

import java.util.concurrent.CountDownLatch;

/**
 * Where test handlers wait until the test lets them go: a handler takes the gate's current latch when
 * it starts and waits on it; {@link #openAll()} releases every handler waiting so far and arms a fresh
 * latch for the next ones.
 */
final class Gate {
    private volatile CountDownLatch latch = new CountDownLatch(1);

    /** The latch a handler starting now waits on. */
    CountDownLatch current() {
        return latch;
    }

    /** Lets every handler waiting so far go on, and arms a fresh latch. */
    void openAll() {
        CountDownLatch old = latch;
        latch = new CountDownLatch(1);
        old.countDown();
    }
}
