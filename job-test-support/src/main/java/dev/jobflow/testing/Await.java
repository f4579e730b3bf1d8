package dev.jobflow.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.opentest4j.AssertionFailedError;

import io.smallrye.mutiny.Uni;

/**
 * The one way tests wait: for a {@link Uni}'s result, or for a condition with a deadline. A wait
 * ends as soon as its condition holds; the short pause between two looks at the condition is the
 * only sleep, and it never stands in for the condition itself.
 */
public final class Await {
    /** How long a store call may take in a test before it counts as hung. */
    public static final Duration STORE = Duration.ofSeconds(15);
    private static final long POLL_MS = 10;

    private Await() {
    }

    /** The result of {@code uni}, waiting at most {@link #STORE}; its failure is rethrown as is. */
    public static <T> T await(Uni<T> uni) {
        return uni.await().atMost(STORE);
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @throws AssertionFailedError naming {@code what} when it does not hold within {@code timeout}
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, () -> condition.getAsBoolean(), Boolean::booleanValue);
    }

    /**
     * Looks at {@code probe} until its value satisfies {@code done}, and returns that value.
     *
     * @throws AssertionFailedError naming {@code what} and the last value when it does not within {@code timeout}
     */
    public static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<? super T> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = probe.get();
        while (!done.test(value)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionFailedError("not " + what + " within " + timeout + "; last seen: " + value);
            }
            try {
                Thread.sleep(POLL_MS); // the pause between two looks; the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionFailedError("interrupted while waiting until " + what);
            }
            value = probe.get();
        }
        return value;
    }
}
