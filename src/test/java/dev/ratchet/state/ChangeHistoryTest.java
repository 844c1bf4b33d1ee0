package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ChangeHistoryTest {

    private static List<Change> put(String key, long revision) {
        return List.of(new Change(Change.Type.PUT, key, new byte[] {1}, "e" + revision, revision, revision, 0));
    }

    private static List<Long> revisions(ChangeHistory.Slice slice) {
        return slice.batches().stream().map(ChangeBatch::revision).toList();
    }

    @Test
    void aReadReturnsThePrefixsBatchesInOrderAndHowFarItIsComplete() {
        ChangeHistory h = new ChangeHistory();
        h.append(1, put("a/1", 1));
        h.append(2, put("b/1", 2));
        h.append(3, List.of());
        h.append(4, put("a/2", 4));
        h.append(5, put("a/3", 5));
        ChangeHistory.Slice all = h.read(1, "a/", 10);
        assertThat(revisions(all)).containsExactly(1L, 4L, 5L);
        assertThat(all.through()).isEqualTo(5);
        ChangeHistory.Slice cut = h.read(1, "a/", 2);
        assertThat(revisions(cut)).containsExactly(1L, 4L);
        assertThat(cut.through()).as("complete only to the last batch it returned").isEqualTo(4);
        assertThat(h.read(6, "a/", 10).through()).isEqualTo(5);
        assertThat(h.read(2, "b/", 10).batches().get(0).changes()).extracting(Change::key).containsExactly("b/1");
    }

    @Test
    void theBoundDropsOldestRevisionsAndAReaderBehindItIsToldTheOldestAvailable() {
        ChangeHistory h = new ChangeHistory();
        h.setLimits(3, Long.MAX_VALUE);
        for (long r = 1; r <= 10; r++) {
            h.append(r, put("k", r));
        }
        assertThat(h.firstCovered()).isEqualTo(8);
        assertThatThrownBy(() -> h.read(7, "", 10)).isInstanceOfSatisfying(ChangeHistory.CompactedException.class,
                e -> assertThat(e.oldestAvailable()).isEqualTo(8));
        assertThat(revisions(h.read(8, "", 10))).containsExactly(8L, 9L, 10L);
        h.reset(20);
        assertThat(h.head()).isEqualTo(20);
        assertThatThrownBy(() -> h.read(9, "", 10)).isInstanceOf(ChangeHistory.CompactedException.class);
        assertThat(h.read(21, "", 10).batches()).isEmpty();
    }

    /**
     * Readers take no lock, so they race the applying thread's appends and evictions: each must either
     * see every revision after its cursor, with no gap, or be told it fell behind. Never a silent gap.
     */
    @Test
    void readersRacingAppendsAndEvictionsNeverSkipARevisionSilently() throws InterruptedException {
        ChangeHistory h = new ChangeHistory();
        h.setLimits(32, Long.MAX_VALUE);
        long last = 200_000;
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        List<Thread> readers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread reader = new Thread(() -> {
                long next = 1;
                int delivered = 0;
                while (!done.get() || next <= h.head()) {
                    ChangeHistory.Slice slice;
                    try {
                        slice = h.read(next, "", 8);
                    } catch (ChangeHistory.CompactedException e) {
                        next = e.oldestAvailable(); // told: start again from what is there
                        continue;
                    }
                    for (ChangeBatch b : slice.batches()) {
                        if (b.revision() != next) {
                            problems.add("expected revision " + next + ", got " + b.revision());
                            return;
                        }
                        next++;
                        delivered++;
                    }
                    if (slice.through() + 1 != next && slice.through() >= next) {
                        problems.add("through " + slice.through() + " beyond what was returned (next " + next + ")");
                        return;
                    }
                }
                if (delivered == 0) {
                    problems.add("a reader saw nothing");
                }
            });
            reader.start();
            readers.add(reader);
        }
        for (long r = 1; r <= last; r++) {
            h.append(r, put("k" + (r % 7), r));
        }
        done.set(true);
        for (Thread reader : readers) {
            reader.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(reader.isAlive()).as("reader finished").isFalse();
        }
        assertThat(problems).isEmpty();
    }
}
