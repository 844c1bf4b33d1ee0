package dev.ratchet.linearizability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.linearizability.CheckResult.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Recording a history: its bookkeeping, its refusals, and recording from many threads at once. */
class HistoryTest {

    private static final long TIMEOUT_SECONDS = System.getenv("CI") == null ? 30 : 90;

    private final History<KvInput, KvOutput> history = new History<>();

    @Test
    void recordsCompletedUnknownAndOpenOperations() {
        int put = history.invoke(1, new KvInput.Put("x", "1"), 10);
        int get = history.invoke(2, new KvInput.Get("x"), 11);
        int lost = history.invoke(3, new KvInput.Delete("x"), 12);
        history.ok(put, KvOutput.ack(), 20);
        history.info(lost, 30);

        List<Op<KvInput, KvOutput>> ops = history.ops();

        assertThat(ops).containsExactly(
                Op.ok(put, 1, new KvInput.Put("x", "1"), KvOutput.ack(), 10, 20),
                Op.info(get, 2, new KvInput.Get("x"), 11),
                Op.info(lost, 3, new KvInput.Delete("x"), 12));
    }

    @Test
    void clientMayNotHaveTwoOpenOperationsButMayGoOnAfterAnUnknownOutcome() {
        int first = history.invoke(1, new KvInput.Get("x"), 0);

        assertThatThrownBy(() -> history.invoke(1, new KvInput.Get("y"), 1))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("client 1");
        assertThat(history.size()).isEqualTo(1);

        history.info(first, 2);
        int second = history.invoke(1, new KvInput.Get("y"), 3);
        assertThat(second).isEqualTo(1);
    }

    @Test
    void refusesRecordingMistakesWithoutChangingTheHistory() {
        int op = history.invoke(1, new KvInput.Get("x"), 10);

        assertThatThrownBy(() -> history.ok(op, KvOutput.read("a"), 9)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("before its invocation");
        assertThatThrownBy(() -> history.ok(op, null, 11)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> history.ok(7, KvOutput.read("a"), 11)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown operation id 7");
        assertThatThrownBy(() -> history.invoke(2, null, 11)).isInstanceOf(NullPointerException.class);
        assertThat(history.ops()).containsExactly(Op.info(op, 1, new KvInput.Get("x"), 10));

        history.ok(op, KvOutput.read("a"), 11);
        assertThatThrownBy(() -> history.ok(op, KvOutput.read("b"), 12)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already closed");
        assertThatThrownBy(() -> history.info(op, 12)).isInstanceOf(IllegalStateException.class);
        assertThat(history.ops()).containsExactly(Op.ok(op, 1, new KvInput.Get("x"), KvOutput.read("a"), 10, 11));
    }

    @Test
    void refusesOperationsBeyondItsLimit() {
        History<KvInput, KvOutput> small = new History<>(2);
        small.invoke(1, new KvInput.Get("x"), 0);
        small.invoke(2, new KvInput.Get("x"), 0);

        assertThatThrownBy(() -> small.invoke(3, new KvInput.Get("x"), 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("full");
        assertThatThrownBy(() -> new History<KvInput, KvOutput>(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void threadsRecordingOperationsOnAnAtomicMapProduceALinearizableHistory() throws Exception {
        int threads = 6;
        int opsPerThread = 400;
        Map<String, String> store = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int client = t;
                clients.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < opsPerThread; i++) {
                        KvInput input = randomInput(client, i);
                        int id = history.invoke(client, input, System.nanoTime());
                        KvOutput output = apply(store, input);
                        history.ok(id, output, System.nanoTime());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> clientDone : clients) {
                clientDone.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        CheckResult result = LinearizabilityChecker.check(new KvModel(), history, Duration.ofSeconds(TIMEOUT_SECONDS));

        assertThat(history.size()).isEqualTo(threads * opsPerThread);
        assertThat(history.ops()).noneMatch(Op::isInfo);
        assertThat(result.outcome()).as(result.explanation()).isEqualTo(Outcome.LINEARIZABLE);
    }

    private static KvInput randomInput(int client, int i) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String key = "k" + random.nextInt(3);
        String value = "t" + client + "-" + i;
        return switch (random.nextInt(5)) {
            case 0 -> new KvInput.Put(key, value);
            case 1 -> new KvInput.Delete(key);
            case 2 -> new KvInput.Cas(key, random.nextBoolean() ? null : "t" + random.nextInt(6) + "-" + (i - 1), value);
            default -> new KvInput.Get(key);
        };
    }

    private static KvOutput apply(Map<String, String> store, KvInput input) {
        if (input instanceof KvInput.Put put) {
            store.put(put.key(), put.value());
            return KvOutput.ack();
        }
        if (input instanceof KvInput.Delete delete) {
            store.remove(delete.key());
            return KvOutput.ack();
        }
        if (input instanceof KvInput.Get get) {
            return KvOutput.read(store.get(get.key()));
        }
        KvInput.Cas cas = (KvInput.Cas) input;
        boolean swapped = cas.expectedValue() == null
                ? store.putIfAbsent(cas.key(), cas.newValue()) == null
                : store.replace(cas.key(), cas.expectedValue(), cas.newValue());
        return swapped ? KvOutput.casOk() : KvOutput.casFailed();
    }
}
