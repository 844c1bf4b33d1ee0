package dev.ratchet.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.node.NodeUnavailableException;
import dev.ratchet.node.OutcomeUnknownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class RequestThreadWaitTest {

    private static ApiProperties timeout(Duration t) {
        return new ApiProperties(t, DataSize.ofMegabytes(1), 1000, DataSize.ofBytes(0),
                ApiProperties.AnonymousAccess.READ_WRITE, Map.of(), DataSize.ofKilobytes(64));
    }

    @Test
    void atMostThreeQuartersOfTheContainerThreadsWaitAndTheNextRequestIsRefusedBeforeItStarts() throws Exception {
        RequestThreadWait waits = new RequestThreadWait(timeout(Duration.ofSeconds(30)), 4);
        List<CompletableFuture<String>> unanswered = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                CompletableFuture<String> f = new CompletableFuture<>();
                unanswered.add(f);
                waiting.add(pool.submit(() -> waits.await(RequestThreadWait.Kind.WRITE, () -> f)));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.waitingNow() == 3);
            AtomicInteger started = new AtomicInteger();
            assertThatThrownBy(() -> waits.await(RequestThreadWait.Kind.WRITE, () -> {
                started.incrementAndGet();
                return CompletableFuture.completedFuture("x");
            })).isInstanceOf(NodeUnavailableException.class).hasMessageContaining("nothing was done");
            assertThat(started).hasValue(0);
            for (int i = 0; i < 3; i++) {
                unanswered.get(i).complete("answer " + i);
                assertThat(waiting.get(i).get()).isEqualTo("answer " + i);
            }
            assertThat(waits.waitingNow()).isZero();
            assertThat(waits.await(RequestThreadWait.Kind.READ, () -> CompletableFuture.completedFuture("again")))
                    .isEqualTo("again");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailureComesBackAsItsCauseAndNoAnswerAsATimeoutThatFreesTheSlot() {
        RequestThreadWait waits = new RequestThreadWait(timeout(Duration.ofMillis(50)), 200);
        assertThatThrownBy(() -> waits.await(RequestThreadWait.Kind.WRITE,
                () -> CompletableFuture.failedFuture(new IllegalStateException("boom"))))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> waits.await(RequestThreadWait.Kind.READ, CompletableFuture::new))
                .isInstanceOf(TimeoutException.class);
        assertThat(waits.waitingNow()).isZero();
    }

    @Test
    void anInterruptedWriteIsOutcomeUnknownAndAnInterruptedReadIsUnavailable() throws Exception {
        RequestThreadWait waits = new RequestThreadWait(timeout(Duration.ofSeconds(30)), 200);
        for (RequestThreadWait.Kind kind : RequestThreadWait.Kind.values()) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    waits.await(kind, CompletableFuture::new);
                } catch (Throwable e) {
                    thrown.set(e);
                    stillInterrupted.set(Thread.currentThread().isInterrupted());
                }
            });
            t.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> waits.waitingNow() == 1);
            t.interrupt();
            t.join(10_000);
            assertThat(thrown.get()).as(kind.name())
                    .isInstanceOf(kind == RequestThreadWait.Kind.WRITE ? OutcomeUnknownException.class
                            : NodeUnavailableException.class);
            assertThat(stillInterrupted.get()).isTrue();
            assertThat(waits.waitingNow()).isZero();
        }
    }
}
