package dev.ratchet.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.state.ChangeHistory;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.TxnOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WatchHubTest {

    /** An upper bound only (a passing run takes milliseconds): generous because the suite shares two cores. */
    private static final Duration HUB_WAIT = Duration.ofSeconds(30);

    /** Records what a watch sent; {@code gate} (if set) holds every send until it is opened. */
    static final class RecordingSink implements EventSink {
        final List<String> events = new CopyOnWriteArrayList<>();
        volatile boolean closed;
        volatile CountDownLatch gate;
        final CountDownLatch blocked = new CountDownLatch(1);
        final java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        final List<Integer> writeSizes = new CopyOnWriteArrayList<>();
        /** If set, close() waits for it, as ending a stream waits for a write blocked on a full socket. */
        volatile CountDownLatch closeGate;

        @Override
        public void send(byte[] frames) {
            writes.incrementAndGet();
            writeSizes.add(frames.length);
            CountDownLatch g = gate;
            if (g != null) {
                blocked.countDown();
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            events.addAll(parse(new String(frames, java.nio.charset.StandardCharsets.UTF_8)));
        }

        @Override
        public void close() {
            CountDownLatch g = closeGate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            closed = true;
        }

        /** Each SSE event of a write as "event id data" (id "null" when the frame has none). */
        static List<String> parse(String frames) {
            List<String> parsed = new java.util.ArrayList<>();
            for (String frame : frames.split("\n\n")) {
                String id = null;
                String event = null;
                String data = null;
                for (String line : frame.split("\n")) {
                    if (line.startsWith("id:")) {
                        id = line.substring(3);
                    } else if (line.startsWith("event:")) {
                        event = line.substring(6);
                    } else if (line.startsWith("data:")) {
                        data = line.substring(5);
                    }
                }
                if (event != null) {
                    parsed.add(event + " " + id + " " + data);
                }
            }
            return parsed;
        }

        List<String> changeIds() {
            return events.stream().filter(e -> e.startsWith("change ")).map(e -> e.split(" ")[1]).toList();
        }
    }

    private final ClusterState state = new ClusterState();
    private final AtomicLong nanos = new AtomicLong();
    private long index;
    private WatchHub hub = hub(new WatchSettings(3, 3, Duration.ofSeconds(1), Duration.ofMillis(50), 4));

    private WatchHub hub(WatchSettings settings) {
        return new WatchHub(state.history(), settings, 2, nanos::get);
    }

    @AfterEach
    void close() {
        hub.close();
    }

    private long put(String key, String value) {
        state.apply(++index, new Command.PutKey(key, value.getBytes(), null, false));
        return index;
    }

    @Test
    void everyChangeUnderThePrefixArrivesOnceInRevisionOrderAndATxnIsOneEvent() {
        put("other", "0");
        RecordingSink sink = new RecordingSink();
        hub.open("app/", 1, sink);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(Long.toString(put("app/k" + (i % 3), "v" + i)));
            put("other", "x" + i);
        }
        state.apply(++index, new Command.Txn(List.of(),
                List.of(new TxnOp.Put("app/a", new byte[0], 0), new TxnOp.Delete("app/k0")), List.of()));
        expected.add(Long.toString(index));
        await().atMost(HUB_WAIT).until(() -> sink.changeIds().size() == expected.size());
        assertThat(sink.changeIds()).isEqualTo(expected);
        String txnEvent = sink.events.stream().filter(e -> e.startsWith("change " + index + " ")).findFirst().orElseThrow();
        assertThat(txnEvent).contains("\"type\":\"put\"", "\"key\":\"app/a\"", "\"type\":\"delete\"", "\"key\":\"app/k0\"");
        assertThat(hub.eventsSent()).as("changes sent: the txn carried two").isEqualTo(22);
    }

    @Test
    void aWatcherThatFellBehindGetsItsBacklogInOneWritePerTurn() {
        RecordingSink sink = new RecordingSink();
        sink.gate = new CountDownLatch(1);
        hub.open("", 1, sink);
        put("k", "first");
        await().atMost(HUB_WAIT).until(() -> sink.blocked.getCount() == 0);
        List<String> expected = new ArrayList<>(List.of("1"));
        for (int i = 0; i < 11; i++) {
            expected.add(Long.toString(put("k" + i, "v")));
        }
        sink.gate.countDown();
        await().atMost(HUB_WAIT).until(() -> sink.changeIds().size() == expected.size());
        assertThat(sink.changeIds()).isEqualTo(expected);
        // The blocked write, then the 11 queued batches in turns of 4 (this hub's batchesPerTurn): at
        // most 1 + 3 writes, and 1 + 3 + 1 if the first write held only the opening progress event.
        assertThat(sink.writes.get()).isBetween(4, 5);
    }

    @Test
    void aTurnOfLargeValuesIsSplitSoThatNoWriteOutgrowsItsTimeout() {
        RecordingSink sink = new RecordingSink();
        sink.gate = new CountDownLatch(1);
        hub.open("", 1, sink);
        await().atMost(HUB_WAIT).until(() -> sink.blocked.getCount() == 0); // the opening progress event
        String big = "x".repeat(100 * 1024); // about 137 KB of base64 per event
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            expected.add(Long.toString(put("big" + i, big)));
        }
        sink.gate.countDown();
        await().atMost(HUB_WAIT).until(() -> sink.changeIds().size() == expected.size());
        assertThat(sink.changeIds()).isEqualTo(expected);
        assertThat(sink.writeSizes).as("each write: at most the turn cap plus the one event that crossed it")
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(Watch.MAX_TURN_BYTES + 150_000));
        assertThat(sink.writes.get()).as("8 events of 137 KB in writes of two").isGreaterThanOrEqualTo(5);
    }

    @Test
    void endingAStuckWatchersStreamDoesNotHoldUpTheTimerForOthers() {
        RecordingSink stuck = new RecordingSink();
        stuck.gate = new CountDownLatch(1);
        stuck.closeGate = new CountDownLatch(1);
        hub.open("", 1, stuck);
        put("k", "v");
        await().atMost(HUB_WAIT).until(() -> stuck.blocked.getCount() == 0);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        await().atMost(HUB_WAIT).until(() -> hub.watchersCutOff() == 1);
        // The stuck stream's close() is still blocked; the timer must still run blocking reads' timeouts.
        CompletableFuture<Long> wait = hub.awaitChange("other", false, index, Duration.ofMillis(100));
        await().atMost(HUB_WAIT).until(wait::isDone);
        assertThat(stuck.closed).isFalse();
        stuck.closeGate.countDown();
        stuck.gate.countDown();
        await().atMost(HUB_WAIT).until(() -> stuck.closed);
    }

    @Test
    void anIdleWatchGetsProgressEventsNamingTheRevisionItIsCompleteTo() {
        RecordingSink sink = new RecordingSink();
        hub.open("quiet/", 1, sink);
        long last = put("noise", "1");
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        await().atMost(HUB_WAIT).until(() -> sink.events.stream().anyMatch(e -> e.startsWith("progress " + last + " ")));
        assertThat(sink.changeIds()).isEmpty();
    }

    @Test
    void aRevisionThatLeftTheHistoryIsRefusedNamingTheOldestAvailable() {
        state.history().setLimits(5, Long.MAX_VALUE);
        for (int i = 0; i < 10; i++) {
            put("k", "v" + i);
        }
        assertThatThrownBy(() -> hub.open("", 2, new RecordingSink()))
                .isInstanceOfSatisfying(ChangeHistory.CompactedException.class, e -> assertThat(e.oldestAvailable()).isEqualTo(6));
        RecordingSink sink = new RecordingSink();
        hub.open("", 6, sink);
        await().atMost(HUB_WAIT).until(() -> sink.changeIds().size() == 5);
        assertThat(sink.changeIds()).containsExactly("6", "7", "8", "9", "10");
    }

    @Test
    void aWatcherOvertakenByTheHistoryBoundIsCutOffWithAClearEvent() {
        state.history().setLimits(5, Long.MAX_VALUE);
        RecordingSink slow = new RecordingSink();
        slow.gate = new CountDownLatch(1);
        hub.open("", 1, slow);
        put("k", "v0");
        // Only once the watcher is stuck delivering revision 1 may the history move past it; otherwise a
        // slow pump finds revision 1 already gone and the cut-off names an earlier oldest revision.
        await().atMost(HUB_WAIT).until(() -> slow.blocked.getCount() == 0);
        for (int i = 1; i < 30; i++) {
            put("k", "v" + i);
        }
        slow.gate.countDown();
        await().atMost(HUB_WAIT).until(() -> slow.closed);
        String last = slow.events.get(slow.events.size() - 1);
        assertThat(last).startsWith("cancelled null ").contains("\"reason\":\"compacted\"", "\"oldestAvailable\":26");
        assertThat(hub.watchersCutOff()).isEqualTo(1);
        assertThat(hub.openWatches()).isZero();
    }

    @Test
    void aWatcherWhoseWriteStaysBlockedIsCutOffAndFreesItsPlace() {
        RecordingSink stuck = new RecordingSink();
        stuck.gate = new CountDownLatch(1);
        hub.open("", 1, stuck);
        put("k", "v");
        await().atMost(HUB_WAIT).until(() -> hub.openWatches() == 1);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        await().atMost(HUB_WAIT).until(() -> stuck.closed);
        assertThat(hub.watchersCutOff()).isEqualTo(1);
        assertThat(hub.openWatches()).isZero();
        stuck.gate.countDown();
    }

    @Test
    void watchesAndWaitsAreBounded() {
        for (int i = 0; i < 3; i++) {
            hub.open("", 1, new RecordingSink());
        }
        assertThatThrownBy(() -> hub.open("", 1, new RecordingSink())).isInstanceOf(WatchLimitException.class);
        for (int i = 0; i < 3; i++) {
            hub.awaitChange("k", false, 0, Duration.ofMinutes(1));
        }
        assertThatThrownBy(() -> hub.awaitChange("k", false, 0, Duration.ofMinutes(1)))
                .isInstanceOf(WatchLimitException.class);
    }

    @Test
    void aBlockingReadWakesOnItsKeyOnlyOrWhenItsWaitRunsOut() {
        long start = put("k", "0");
        CompletableFuture<Long> onKey = hub.awaitChange("k", false, start, Duration.ofMinutes(1));
        CompletableFuture<Long> onPrefix = hub.awaitChange("dir/", true, start, Duration.ofMinutes(1));
        put("kk", "not k");
        put("dir", "not under dir/");
        assertThat(onKey).isNotDone();
        long changed = put("k", "1");
        await().atMost(HUB_WAIT).until(onKey::isDone);
        assertThat(onKey.join()).isGreaterThanOrEqualTo(changed);
        assertThat(onPrefix).isNotDone();
        put("dir/x", "1");
        await().atMost(HUB_WAIT).until(onPrefix::isDone);

        assertThat(hub.awaitChange("k", false, start, Duration.ofMinutes(1))).as("already changed").isDone();
        CompletableFuture<Long> timesOut = hub.awaitChange("k", false, index, Duration.ofMillis(100));
        await().atMost(HUB_WAIT).until(timesOut::isDone);
        assertThat(timesOut.join()).isEqualTo(index);
        assertThat(hub.waitingReads()).isZero();
    }
}
