package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Batching of forwarded requests, driven by hand: the sender records each batch and the test decides
 * when its round trip ends, so what goes out together is exact and no timing is involved.
 */
class CallBatcherTest {

    /** One batch the sender was asked to send, with the stage the test completes to end it. */
    private record Sent(List<String> items, List<CompletableFuture<String>> futures, CompletableFuture<Void> done) {
        void answerAll() {
            for (int i = 0; i < items.size(); i++) {
                futures.get(i).complete("ok:" + items.get(i));
            }
            done.complete(null);
        }
    }

    private final List<Sent> sent = new ArrayList<>();

    private CallBatcher<String, String> batcher(int maxCount, long maxBytes, int maxInFlight, int maxQueued) {
        return new CallBatcher<>((items, futures) -> {
            CompletableFuture<Void> done = new CompletableFuture<>();
            sent.add(new Sent(items, futures, done));
            return done;
        }, String::length, maxCount, maxBytes, maxInFlight, maxQueued);
    }

    @Test
    void aRequestWithNothingInFlightGoesAtOnceAlone() {
        CallBatcher<String, String> b = batcher(100, 1000, 1, 100);
        CompletableFuture<String> f = b.submit("a");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).items()).containsExactly("a");
        sent.get(0).answerAll();
        assertThat(f).isCompletedWithValue("ok:a");
        b.submit("b");
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).items()).containsExactly("b");
    }

    @Test
    void requestsArrivingMeanwhileLeaveTogetherInOneBatchWhenTheRoundTripEnds() {
        CallBatcher<String, String> b = batcher(100, 1000, 1, 100);
        b.submit("first");
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            waiting.add(b.submit("w" + i));
        }
        assertThat(sent).hasSize(1);
        assertThat(b.queued()).isEqualTo(5);
        sent.get(0).answerAll();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).items()).containsExactly("w0", "w1", "w2", "w3", "w4");
        assertThat(waiting).allMatch(f -> !f.isDone());
        sent.get(1).answerAll();
        assertThat(waiting).allMatch(f -> f.isDone() && f.join().startsWith("ok:w"));
        assertThat(b.batchesSent()).isEqualTo(2);
        assertThat(b.requestsSent()).isEqualTo(6);
    }

    @Test
    void batchesAreBoundedByCountAndByBytesButALargeRequestStillGoesAlone() {
        CallBatcher<String, String> b = batcher(3, 10, 1, 100);
        b.submit("x");
        for (String s : List.of("a", "b", "c", "d", "eeeeeeee", "ff", "ggggggggggggggg", "h")) {
            b.submit(s);
        }
        sent.get(0).answerAll();
        assertThat(sent.get(1).items()).containsExactly("a", "b", "c");
        sent.get(1).answerAll();
        assertThat(sent.get(2).items()).containsExactly("d", "eeeeeeee");
        sent.get(2).answerAll();
        assertThat(sent.get(3).items()).containsExactly("ff");
        sent.get(3).answerAll();
        assertThat(sent.get(4).items()).containsExactly("ggggggggggggggg");
        sent.get(4).answerAll();
        assertThat(sent.get(5).items()).containsExactly("h");
    }

    @Test
    void withTwoInFlightTheSecondRequestAlsoGoesAtOnce() {
        CallBatcher<String, String> b = batcher(100, 1000, 2, 100);
        b.submit("a");
        b.submit("b");
        b.submit("c");
        b.submit("d");
        assertThat(sent).extracting(Sent::items).containsExactly(List.of("a"), List.of("b"));
        sent.get(1).answerAll();
        assertThat(sent.get(2).items()).containsExactly("c", "d");
    }

    @Test
    void aFailedRoundTripFailsItsRequestsAndTheNextBatchStillGoes() {
        CallBatcher<String, String> b = batcher(100, 1000, 1, 100);
        CompletableFuture<String> first = b.submit("a");
        CompletableFuture<String> second = b.submit("b");
        sent.get(0).done().completeExceptionally(new IllegalStateException("connection lost"));
        assertThat(first).failsWithin(Duration.ZERO).withThrowableThat().havingRootCause()
                .isInstanceOf(IllegalStateException.class).withMessage("connection lost");
        assertThat(sent).hasSize(2);
        sent.get(1).answerAll();
        assertThat(second).isCompletedWithValue("ok:b");
    }

    @Test
    void theSlotIsFreedWhenTheAnswerArrivesEvenIfTheSenderCompletesTheRequestsLater() {
        CallBatcher<String, String> b = batcher(100, 1000, 1, 100);
        CompletableFuture<String> first = b.submit("a");
        CompletableFuture<String> second = b.submit("b");
        // The answer is in; the sender still waits (say, for the local apply) before completing "a".
        sent.get(0).done().complete(null);
        assertThat(first).isNotDone();
        assertThat(sent).hasSize(2);
        assertThat(sent.get(1).items()).containsExactly("b");
        sent.get(0).futures().get(0).complete("late");
        assertThat(first).isCompletedWithValue("late");
        sent.get(1).answerAll();
        assertThat(second).isCompletedWithValue("ok:b");
    }

    @Test
    void aSenderThatThrowsFailsTheBatchWithoutWedgingTheBatcher() {
        List<Integer> calls = new ArrayList<>();
        CallBatcher<String, String> b = new CallBatcher<>((items, futures) -> {
            calls.add(items.size());
            if (calls.size() == 1) {
                throw new IllegalArgumentException("frame too large");
            }
            futures.forEach(f -> f.complete("ok"));
            return CompletableFuture.completedFuture(null);
        }, String::length, 10, 100, 1, 10);
        assertThat(b.submit("a")).failsWithin(Duration.ZERO).withThrowableThat().havingRootCause()
                .withMessage("frame too large");
        assertThat(b.submit("b")).isCompletedWithValue("ok");
    }

    @Test
    void aFullQueueRefusesNewRequestsFast() {
        CallBatcher<String, String> b = batcher(100, 1000, 1, 2);
        b.submit("in flight");
        b.submit("q1");
        b.submit("q2");
        assertThat(b.submit("q3")).failsWithin(Duration.ZERO).withThrowableThat().havingRootCause()
                .isInstanceOf(NodeUnavailableException.class).withMessageContaining("overloaded");
    }
}
