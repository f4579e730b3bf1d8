package dev.jobflow.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.smallrye.mutiny.subscription.UniSubscriber;
import io.smallrye.mutiny.subscription.UniSubscription;

/** Batching of {@link GroupCommit}, its flushes completed by the test (no database: the batching is under test). */
class GroupCommitTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The flushes asked for, each with the emitter that completes it. */
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private final List<UniEmitter<? super List<String>>> flushes = new CopyOnWriteArrayList<>();

    private GroupCommit<Integer, String> group(int maxInFlight, int maxBatch) {
        return group(maxInFlight, Duration.ZERO, maxBatch);
    }

    private GroupCommit<Integer, String> group(int maxInFlight, Duration stalledAfter, int maxBatch) {
        return new GroupCommit<>(maxInFlight, stalledAfter, maxBatch, batch -> Uni.createFrom().emitter(emitter -> {
            batches.add(batch);
            flushes.add(emitter);
        }));
    }

    private static List<String> answers(List<Integer> batch) {
        return batch.stream().map(n -> "done " + n).toList();
    }

    private static UniAssertSubscriber<String> send(GroupCommit<Integer, String> group, int request) {
        return group.submit(request).subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    @Test
    void aLoneRequestGoesOutAtOnceAndWhatComesMeanwhileGoesOutTogether() {
        GroupCommit<Integer, String> group = group(1, 100);
        UniAssertSubscriber<String> first = send(group, 1);
        assertThat(batches).containsExactly(List.of(1));

        List<UniAssertSubscriber<String>> waiting = new ArrayList<>();
        for (int n = 2; n <= 5; n++) {
            waiting.add(send(group, n));
        }
        assertThat(batches).as("nothing more goes out while a flush is in flight").hasSize(1);
        first.assertNotTerminated();

        flushes.get(0).complete(answers(batches.get(0)));
        first.awaitItem(WAIT).assertItem("done 1");
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3, 4, 5));
        waiting.forEach(UniAssertSubscriber::assertNotTerminated);

        flushes.get(1).complete(answers(batches.get(1)));
        for (int i = 0; i < waiting.size(); i++) {
            waiting.get(i).awaitItem(WAIT).assertItem("done " + (i + 2));
        }
    }

    @Test
    void flushesRunSideBySideUpToTheLimitAndAreCutAtTheirMaximumSize() {
        GroupCommit<Integer, String> group = group(2, 2);
        for (int n = 1; n <= 6; n++) {
            send(group, n);
        }
        assertThat(batches).containsExactly(List.of(1), List.of(2));

        flushes.get(0).complete(answers(batches.get(0)));
        assertThat(batches).containsExactly(List.of(1), List.of(2), List.of(3, 4));
        flushes.get(1).complete(answers(batches.get(1)));
        assertThat(batches).containsExactly(List.of(1), List.of(2), List.of(3, 4), List.of(5, 6));
    }

    @Test
    void whileNoFlushIsStalledOneRunsAtATimeAndCarriesWhatCameMeanwhile() {
        GroupCommit<Integer, String> group = group(4, Duration.ofSeconds(30), 100);
        for (int n = 1; n <= 3; n++) {
            send(group, n);
        }
        assertThat(batches).as("a second flush waits for the first").containsExactly(List.of(1));
        flushes.get(0).complete(answers(batches.get(0)));
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3));
    }

    /** A flush that waits on something (a row lock) does not hold up the others past {@code stalledAfter}. */
    @Test
    void aStalledFlushLetsTheNextOneGoOutBesideIt() throws InterruptedException {
        CountDownLatch secondFlush = new CountDownLatch(1);
        GroupCommit<Integer, String> group = new GroupCommit<>(2, Duration.ofSeconds(1), 100,
                batch -> Uni.createFrom().emitter(emitter -> {
                    batches.add(batch);
                    flushes.add(emitter);
                    if (batches.size() == 2) {
                        secondFlush.countDown();
                    }
                }));
        send(group, 1); // never completed: stalled
        UniAssertSubscriber<String> next = send(group, 2);
        assertThat(batches).as("not yet stalled").containsExactly(List.of(1));

        assertThat(secondFlush.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a second flush beside the stalled one")
                .isTrue();
        assertThat(batches).containsExactly(List.of(1), List.of(2));
        flushes.get(1).complete(answers(batches.get(1)));
        next.awaitItem(WAIT).assertItem("done 2");
        send(group, 3);
        assertThat(batches).as("the second flush started a new stall window: the next waits again").hasSize(2);
    }

    @Test
    void aFailedFlushIsRetriedOneRequestAtATimeSoOnlyTheBadOneFails() {
        GroupCommit<Integer, String> group = group(1, 100);
        UniAssertSubscriber<String> first = send(group, 1);
        UniAssertSubscriber<String> good = send(group, 2);
        UniAssertSubscriber<String> bad = send(group, 3);
        flushes.get(0).complete(answers(batches.get(0)));
        first.awaitItem(WAIT);

        flushes.get(1).fail(new IllegalStateException("row 3 breaks a rule"));
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3), List.of(2), List.of(3));
        flushes.get(2).complete(answers(batches.get(2)));
        flushes.get(3).fail(new IllegalStateException("row 3 breaks a rule"));

        good.awaitItem(WAIT).assertItem("done 2");
        bad.awaitFailure(WAIT).assertFailedWith(IllegalStateException.class, "row 3 breaks a rule");
    }

    @Test
    void aFailedFlushOfOneRequestFailsItAndTheNextOneStillGoesOut() {
        GroupCommit<Integer, String> group = group(1, 100);
        UniAssertSubscriber<String> lone = send(group, 1);
        UniAssertSubscriber<String> next = send(group, 2);
        flushes.get(0).fail(new IllegalStateException("down"));

        lone.awaitFailure(WAIT).assertFailedWith(IllegalStateException.class, "down");
        assertThat(batches).containsExactly(List.of(1), List.of(2));
        flushes.get(1).complete(answers(batches.get(1)));
        next.awaitItem(WAIT).assertItem("done 2");
    }

    /**
     * What a caller does with its answer runs on the flush's thread, before the next flush may start:
     * a caller that throws there must not keep the flush counted as running (with one flush at a time,
     * every later write of the process would wait forever).
     */
    @Test
    void aCallerThatThrowsOnItsAnswerDoesNotHoldUpTheOthers() {
        GroupCommit<Integer, String> group = group(1, 100);
        UniAssertSubscriber<String> first = send(group, 1);
        group.submit(2).subscribe().withSubscriber(new UniSubscriber<String>() {
            @Override
            public void onSubscribe(UniSubscription subscription) {
            }

            @Override
            public void onItem(String answer) {
                throw new IllegalStateException("the caller's own bug");
            }

            @Override
            public void onFailure(Throwable failure) {
            }
        });
        UniAssertSubscriber<String> sameFlush = send(group, 3);
        flushes.get(0).complete(answers(batches.get(0)));
        first.awaitItem(WAIT).assertItem("done 1");
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3));

        flushes.get(1).complete(answers(batches.get(1)));
        sameFlush.awaitItem(WAIT).assertItem("done 3");
        UniAssertSubscriber<String> later = send(group, 4);
        assertThat(batches).as("the place of the flush that answered the throwing caller was given back")
                .containsExactly(List.of(1), List.of(2, 3), List.of(4));
        flushes.get(2).complete(answers(batches.get(2)));
        later.awaitItem(WAIT).assertItem("done 4");
    }

    /** A flush that throws instead of failing its Uni fails its requests and frees its place. */
    @Test
    void aFlushThatThrowsFailsItsRequestsAndTheNextOneStillGoesOut() {
        List<List<Integer>> asked = new CopyOnWriteArrayList<>();
        GroupCommit<Integer, String> group = new GroupCommit<>(1, Duration.ZERO, 100, batch -> {
            asked.add(batch);
            if (batch.contains(1)) {
                throw new IllegalStateException("no connection");
            }
            return Uni.createFrom().item(answers(batch));
        });
        send(group, 1).awaitFailure(WAIT).assertFailedWith(IllegalStateException.class, "no connection");
        send(group, 2).awaitItem(WAIT).assertItem("done 2");
        assertThat(asked).containsExactly(List.of(1), List.of(2));
    }

    /** A flush that answers fewer requests than it carried (a bug) fails the rest and frees its place. */
    @Test
    void aFlushWithTooFewAnswersFailsTheUnansweredAndTheNextOneStillGoesOut() {
        GroupCommit<Integer, String> group = group(1, 100);
        send(group, 1);
        UniAssertSubscriber<String> answered = send(group, 2);
        UniAssertSubscriber<String> unanswered = send(group, 3);
        flushes.get(0).complete(answers(batches.get(0)));
        flushes.get(1).complete(List.of("done 2"));

        answered.awaitItem(WAIT).assertItem("done 2");
        unanswered.awaitFailure(WAIT).assertFailedWith(IllegalStateException.class, "answered 1 of 2");
        send(group, 4);
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3), List.of(4));
    }

    /** So does the flush of a request sent alone after its batch failed: its caller fails, it never waits forever. */
    @Test
    void aRequestSentAloneThatGetsNoAnswerFails() {
        GroupCommit<Integer, String> group = group(1, 100);
        send(group, 1);
        UniAssertSubscriber<String> second = send(group, 2);
        UniAssertSubscriber<String> third = send(group, 3);
        flushes.get(0).complete(answers(batches.get(0)));
        flushes.get(1).fail(new IllegalStateException("batch failed"));
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3), List.of(2), List.of(3));
        flushes.get(2).complete(List.of());
        flushes.get(3).complete(List.of("done 3"));

        second.awaitFailure(WAIT).assertFailedWith(IllegalStateException.class, "answered 0 of 1");
        third.awaitItem(WAIT).assertItem("done 3");
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> group(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> group(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> group(1, Duration.ofMillis(-1), 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
