package dev.ratchet.storage;

import static dev.ratchet.storage.StorageFixture.entries;
import static dev.ratchet.storage.StorageFixture.open;
import static dev.ratchet.storage.StorageFixture.segment;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import dev.ratchet.raft.StorageException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Damaged files on disk: torn tails are repaired, anything else is refused loudly with file and offset. */
class WalCorruptionTest {

    private static final WalRecord.SegmentHeader FIRST_HEADER =
            new WalRecord.SegmentHeader(0, 0, 0, 0, HardState.EMPTY);

    @TempDir
    Path dir;

    private List<Entry> writeTenEntries() {
        List<Entry> entries = entries(1, 10, 1);
        try (FileRaftStorage storage = open(dir)) {
            storage.append(entries);
            storage.sync();
        }
        return entries;
    }

    @Test
    void tornTailIsTruncatedAndTheLogStaysUsable() throws IOException {
        List<Entry> entries = writeTenEntries();
        Path file = segment(dir, 0);
        long lastRecord = StorageFixture.offsetOfEntry(FIRST_HEADER, entries, 9);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(lastRecord + 11); // The last record was only partly written.
        }

        try (FileRaftStorage storage = open(dir)) {
            assertThat(storage.lastIndex()).isEqualTo(9);
            assertThat(storage.entries(1, 10, Long.MAX_VALUE)).isEqualTo(entries.subList(0, 9));
            storage.append(List.of(StorageFixture.entry(10, 2)));
            storage.sync();
        }
        assertThat(Files.size(file)).isGreaterThan(lastRecord);
        try (FileRaftStorage storage = open(dir)) {
            assertThat(storage.lastIndex()).isEqualTo(10);
            assertThat(storage.term(10)).isEqualTo(2);
        }
    }

    @Test
    void badChecksumOnTheLastRecordIsATornTail() throws IOException {
        List<Entry> entries = writeTenEntries();
        flipBit(segment(dir, 0), StorageFixture.offsetOfEntry(FIRST_HEADER, entries, 9) + 20);

        try (FileRaftStorage storage = open(dir)) {
            assertThat(storage.lastIndex()).isEqualTo(9);
        }
    }

    @Test
    void flippedBitMidLogIsReportedWithFileAndOffset() throws IOException {
        List<Entry> entries = writeTenEntries();
        long offset = StorageFixture.offsetOfEntry(FIRST_HEADER, entries, 4);
        Path file = segment(dir, 0);
        flipBit(file, offset + 30);
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("byte offset " + offset + ":")
                .hasMessageContaining("checksum mismatch");
        assertThat(Files.readAllBytes(file)).as("a refused log is left untouched").isEqualTo(before);
    }

    @Test
    void corruptLengthMidLogIsRefusedWithoutAllocatingIt() throws IOException {
        List<Entry> entries = writeTenEntries();
        long offset = StorageFixture.offsetOfEntry(FIRST_HEADER, entries, 3);
        try (RandomAccessFile raf = new RandomAccessFile(segment(dir, 0).toFile(), "rw")) {
            raf.seek(offset);
            raf.writeInt(Integer.MAX_VALUE);
        }

        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("byte offset " + offset + ":")
                .hasMessageContaining("out of range");
    }

    @Test
    void missingSegmentIsRefused() {
        try (FileRaftStorage storage = open(dir, StorageOptions.DEFAULTS.withSegmentBytes(4096))) {
            for (long index = 1; index <= 300; index += 10) {
                storage.append(entries(index, index + 9, 1));
            }
            storage.sync();
        }
        assertThat(segment(dir, 3)).exists();
        segment(dir, 2).toFile().delete();

        assertThatThrownBy(() -> open(dir, StorageOptions.DEFAULTS.withSegmentBytes(4096)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(Segment.fileName(2) + " is missing");
    }

    @Test
    void corruptNewestSnapshotFallsBackToThePreviousOne() throws IOException {
        List<Entry> entries = entries(1, 30, 1);
        ConfState conf = new ConfState(Set.of("a", "b", "c"), Set.of());
        try (FileRaftStorage storage = open(dir)) {
            storage.append(entries);
            storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(10, 1, conf), new byte[] {10}));
            storage.sync();
            storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(20, 1, conf), new byte[] {20}));
            storage.sync();
        }
        Path newest = dir.resolve("snap").resolve("snap-00000000000000000020-00000000000000000001.snap");
        flipBit(newest, Files.size(newest) - 1);

        try (FileRaftStorage storage = open(dir)) {
            assertThat(storage.snapshot().metadata().index()).isEqualTo(10);
            assertThat(storage.snapshot().data()).containsExactly(10);
            assertThat(storage.entries(11, 31, Long.MAX_VALUE)).isEqualTo(entries.subList(10, 30));
            // Life goes on from the older snapshot: a new one below the refused index, more entries.
            storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(15, 1, conf), new byte[] {15}));
            storage.append(entries(31, 40, 2));
            storage.sync();
        }
        assertThat(newest.resolveSibling(newest.getFileName() + ".corrupt")).exists();
        try (FileRaftStorage storage = open(dir)) {
            assertThat(storage.snapshot().data()).containsExactly(15);
            assertThat(storage.entries(16, 41, Long.MAX_VALUE)).hasSize(25).endsWith(StorageFixture.entry(40, 2));
        }
    }

    @Test
    void compactionKeepsTheLogThatTheFallbackSnapshotNeeds() throws IOException {
        // No catch-up margin: the fallback snapshot alone must keep its log.
        StorageOptions small = StorageOptions.DEFAULTS.withSegmentBytes(4096).withCatchUp(0, 0);
        List<Entry> entries = entries(1, 600, 1);
        try (FileRaftStorage storage = StorageFixture.open(dir, small)) {
            for (int from = 0; from < 600; from += 20) {
                storage.append(entries.subList(from, from + 20));
            }
            for (long at : new long[] {100, 300, 500}) {
                storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(at, 1, ConfState.EMPTY),
                        new byte[] {(byte) (at / 100)}));
                storage.sync();
            }
        }
        assertThat(segment(dir, 0)).as("compacted").doesNotExist();
        Path newest = dir.resolve("snap").resolve("snap-00000000000000000500-00000000000000000001.snap");
        flipBit(newest, 30);

        try (FileRaftStorage storage = StorageFixture.open(dir, small)) {
            assertThat(storage.snapshot().metadata().index()).isEqualTo(300);
            assertThat(storage.entries(301, 601, Long.MAX_VALUE)).isEqualTo(entries.subList(300, 600));
        }
    }

    @Test
    void corruptInstalledSnapshotThatReplacedTheLogIsRefused() throws IOException {
        ConfState conf = new ConfState(Set.of("a"), Set.of());
        try (FileRaftStorage storage = open(dir)) {
            storage.append(entries(1, 5, 1));
            storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(3, 1, conf), new byte[] {3}));
            storage.installSnapshot(new Snapshot(new SnapshotMetadata(50, 4, conf), new byte[] {50}));
            storage.sync();
        }
        Path installed = dir.resolve("snap").resolve("snap-00000000000000000050-00000000000000000004.snap");
        flipBit(installed, 25);

        assertThatThrownBy(() -> open(dir))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining("snapshot at index 50")
                .hasMessageContaining("does not reach back");
    }

    private static void flipBit(Path file, long offset) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(offset);
            int value = raf.read();
            raf.seek(offset);
            raf.write(value ^ 0x10);
        }
    }

}
