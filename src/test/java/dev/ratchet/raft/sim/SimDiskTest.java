package dev.ratchet.raft.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** What a simulated crash keeps, as {@link SimDisk} models the files of {@code FileRaftStorage}. */
class SimDiskTest {

    /** Answers {@code nextInt(bound)} from a script: how many unsynced records each segment keeps. */
    private static RandomGenerator keep(Integer... kept) {
        Deque<Integer> script = new ArrayDeque<>(List.of(kept));
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("only nextInt(bound) is scripted");
            }

            @Override
            public int nextInt(int bound) {
                return Math.min(script.isEmpty() ? 0 : script.poll(), bound - 1);
            }
        };
    }

    private static Entry entry(long index) {
        return new Entry(index, 1, EntryType.COMMAND, new byte[] {(byte) index});
    }

    @Test
    void aCrashCanKeepTheFirstEntriesOfOneAppendOnly() {
        SimDisk disk = new SimDisk(100, true);
        disk.append(List.of(entry(1), entry(2), entry(3)));
        disk.crash(keep(1));
        assertThat(disk.lastIndex()).isEqualTo(1);
        assertThat(disk.tornAppends).isEqualTo(1);
        assertThat(disk.unrecoverable()).isNull();
    }

    @Test
    void syncedWritesSurviveEveryCrash() {
        SimDisk disk = new SimDisk(2, true);
        disk.append(List.of(entry(1), entry(2), entry(3)));
        disk.setHardState(new HardState(1, null, 3));
        disk.sync();
        disk.append(List.of(entry(4)));
        disk.crash(keep(0));
        assertThat(disk.lastIndex()).isEqualTo(3);
        assertThat(disk.hardState().commit()).isEqualTo(3);
    }

    @Test
    void withTheRolloverFixACrashKeepsAPrefixAcrossSegments() {
        SimDisk disk = new SimDisk(2, true);
        disk.append(List.of(entry(1), entry(2), entry(3), entry(4), entry(5)));
        // Segments [1,2] and [3,4] were forced at their roll-overs; only [5] was unsynced.
        disk.crash(keep(0));
        assertThat(disk.lastIndex()).isEqualTo(4);
        assertThat(disk.unrecoverable()).isNull();
    }

    @Test
    void withoutTheRolloverFixASegmentCanLoseItsTailWhileTheNextKeepsRecordsAndRecoveryRefuses() {
        SimDisk disk = new SimDisk(2, false);
        disk.append(List.of(entry(1), entry(2), entry(3), entry(4), entry(5)));
        // The first segment keeps one of its two records, the second keeps both: a hole at index 2.
        disk.crash(keep(1, 2, 1));
        assertThat(disk.unrecoverable()).startsWith("WAL hole");
        assertThat(disk.lastIndex()).isEqualTo(1);
    }

    @Test
    void aWipeLosesEverythingEvenWhatWasSynced() {
        SimDisk disk = new SimDisk(4, true);
        disk.append(List.of(entry(1)));
        disk.setHardState(new HardState(1, "n1~1", 1));
        disk.sync();
        disk.wipe();
        assertThat(disk.isEmpty()).isTrue();
        assertThat(disk.hardState()).isEqualTo(HardState.EMPTY);
    }
}
