package dev.ratchet.storage;

import static dev.ratchet.storage.StorageFixture.entries;
import static dev.ratchet.storage.StorageFixture.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.Entry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Segment rollover in the middle of an unsynced batch. {@link FileRaftStorage#close()} drops what is still
 * buffered in the process and keeps what was handed to the OS, which is exactly what SIGKILL leaves; the
 * storage must then reopen with a prefix of the writes.
 */
class WalRolloverTest {

    /**
     * Small segments and a write buffer a quarter of their size (as 4 MiB is of 64 MiB by default), so one
     * batch spans several segments and each new segment hands bytes to the OS before the batch is synced.
     */
    private static final StorageOptions SMALL = StorageOptions.DEFAULTS.withSegmentBytes(16 * 1024)
            .withWriteBufferBytes(4096).withPreallocateBytes(0);

    @TempDir
    Path dir;

    @Test
    void aBatchCrossingSegmentsLeavesAPrefixWhenTheProcessDiesBeforeSync() {
        try (FileRaftStorage storage = open(dir, SMALL)) {
            storage.append(entries(1, 10, 1));
            storage.sync();
            // About 75 KiB: five segments, each rolled over with the old one's tail still buffered.
            storage.append(entries(11, 1000, 1));
        }
        try (FileRaftStorage storage = open(dir, SMALL)) {
            long last = storage.lastIndex();
            assertThat(last).isBetween(10L, 1000L);
            List<Entry> log = storage.entries(1, last + 1, Long.MAX_VALUE);
            assertThat(log).isEqualTo(entries(1, last, 1));
            // The storage goes on from the prefix it kept.
            storage.append(entries(last + 1, last + 5, 2));
            storage.sync();
        }
        try (FileRaftStorage storage = open(dir, SMALL)) {
            assertThat(storage.term(storage.lastIndex())).isEqualTo(2);
        }
    }

    /**
     * The same for power loss, where only forced bytes count: each segment is forced after its last write
     * and before the first byte of its successor reaches the OS, so no crash can keep a later segment
     * without the end of an earlier one.
     */
    @Test
    void eachSegmentIsForcedBeforeItsSuccessorIsWritten() {
        FaultyFileIo io = new FaultyFileIo();
        try (FileRaftStorage storage = FileRaftStorage.open(dir, TestConfChanges.INSTANCE, SMALL, io)) {
            storage.append(entries(1, 1000, 1));
            storage.sync();
        }
        List<String> journal = io.journal();
        int segments = 0;
        for (long sequence = 1; journal.contains("write " + Segment.fileName(sequence)); sequence++) {
            String previous = Segment.fileName(sequence - 1);
            int firstWriteOfNext = journal.indexOf("write " + Segment.fileName(sequence));
            List<String> before = journal.subList(0, firstWriteOfNext);
            assertThat(before.lastIndexOf("force " + previous))
                    .as("%s forced after its last write, before %s is written", previous, Segment.fileName(sequence))
                    .isGreaterThan(before.lastIndexOf("write " + previous));
            assertThat(journal.subList(firstWriteOfNext, journal.size())).doesNotContain("write " + previous);
            segments++;
        }
        assertThat(segments).as("the batch crossed segments").isGreaterThanOrEqualTo(3);
    }

    /**
     * Only the segment being written holds a write buffer: a WAL keeps every segment back to its compaction
     * floor open, and a 64 KiB buffer in each of hundreds of small segments once filled a 256 MB heap.
     */
    @Test
    void sealedAndReopenedSegmentsHoldNoWriteBuffer() {
        long oneBuffer = 64 * 1024;
        try (FileRaftStorage storage = open(dir, SMALL)) {
            storage.append(entries(1, 2000, 1));
            storage.sync();
            assertThat(storage.walBufferCapacity()).isLessThanOrEqualTo(oneBuffer);
        }
        try (FileRaftStorage storage = open(dir, SMALL)) {
            assertThat(storage.lastIndex()).isEqualTo(2000);
            assertThat(storage.walBufferCapacity()).isLessThanOrEqualTo(oneBuffer);
            storage.append(entries(2001, 2100, 1));
            storage.sync();
            assertThat(storage.walBufferCapacity()).isLessThanOrEqualTo(oneBuffer);
        }
    }
}
