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
}
