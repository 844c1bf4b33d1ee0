package dev.ratchet.storage;

import static dev.ratchet.storage.StorageFixture.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import dev.ratchet.raft.StorageException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipelined sync of issue 14 on real files: {@link FileRaftStorage#startSync()} hands the writes to the
 * OS, another thread forces them while the writer goes on, {@link FileRaftStorage#finishSync} reports a
 * failed force, and a sync still in flight across a segment roll-over or a compaction neither fails nor
 * leaves anything unforced.
 */
class PipelinedSyncTest {

    @TempDir
    Path dir;

    private final FaultyFileIo io = new FaultyFileIo();

    private FileRaftStorage open(long segmentBytes) {
        return FileRaftStorage.open(dir, TestConfChanges.INSTANCE,
                StorageOptions.DEFAULTS.withSegmentBytes(segmentBytes).withCatchUp(0, 0), io);
    }

    @Test
    void aSyncForcedOnAnotherThreadWhileTheWriterGoesOnMakesItsWritesDurable() throws Exception {
        try (FileRaftStorage storage = open(1 << 20)) {
            storage.append(entries(1, 10, 1));
            storage.setHardState(new HardState(1, null, 5));
            DurableStorage.PendingSync pending = storage.startSync();
            int forcesBefore = forces();
            CompletableFuture<Void> forced = CompletableFuture.runAsync(pending::force);
            storage.append(entries(11, 20, 1)); // the writer does not wait
            forced.get();
            assertThat(pending.failed()).isFalse();
            assertThat(forces()).isEqualTo(forcesBefore + 1);
            storage.finishSync(pending);
            pending.force();
            assertThat(forces()).as("forcing the same sync again has nothing to do").isEqualTo(forcesBefore + 1);
        }
        try (FileRaftStorage reopened = FileRaftStorage.open(dir, TestConfChanges.INSTANCE)) {
            assertThat(reopened.entries(1, 11, Long.MAX_VALUE)).isEqualTo(entries(1, 10, 1));
            assertThat(reopened.hardState().commit()).isEqualTo(5);
        }
    }

    @Test
    void aFailedForceIsReportedByFinishSyncAndStopsTheStorage() {
        FileRaftStorage storage = open(1 << 20);
        storage.append(entries(1, 3, 1));
        DurableStorage.PendingSync pending = storage.startSync();
        io.failForce(true);
        pending.force();
        assertThat(pending.failed()).isTrue();
        assertThat(storage.isFailed()).as("the writer thread learns it at finishSync").isFalse();
        assertThatThrownBy(() -> storage.finishSync(pending)).isInstanceOf(StorageException.class)
                .hasMessageContaining("Input/output error");
        assertThat(storage.isFailed()).isTrue();
        assertThatThrownBy(() -> storage.append(entries(4, 4, 1))).isInstanceOf(StorageException.class);
        assertThatThrownBy(storage::startSync).isInstanceOf(StorageException.class);
        storage.close();
    }

    @Test
    void aSyncInFlightAcrossARollOverAndACompactionNeitherFailsNorLeavesDataUnforced() throws Exception {
        FileRaftStorage storage = open(4096);
        storage.append(entries(1, 5, 1));
        storage.setHardState(new HardState(1, null, 5));
        DurableStorage.PendingSync old = storage.startSync();
        long firstSegments = segments();
        long index = 6;
        while (segments() < firstSegments + 2) {
            storage.append(entries(index, index + 9, 1));
            index += 10;
        }
        long last = index - 1;
        storage.setHardState(new HardState(1, null, last));
        // The roll-over sealed (forced) the segment the old sync points at. Two local snapshots later (the WAL is
        // kept back to the older of the last two) compaction deletes it.
        storage.saveLocalSnapshot(snapshotAt(last));
        long end = last + 10;
        storage.append(entries(last + 1, end, 1));
        storage.setHardState(new HardState(1, null, end));
        storage.saveLocalSnapshot(snapshotAt(end));
        last = end;
        DurableStorage.PendingSync newest = storage.startSync();
        newest.force();
        storage.finishSync(newest);
        assertThat(segments()).as("compaction dropped the first segment").isLessThan(firstSegments + 2);
        old.force();
        assertThat(old.failed()).as("a sealed segment needs no force, even once deleted").isFalse();
        storage.finishSync(old);
        storage.close();
        try (FileRaftStorage reopened = FileRaftStorage.open(dir, TestConfChanges.INSTANCE)) {
            assertThat(reopened.lastIndex()).isEqualTo(last);
        }
    }

    @Test
    void aSyncOfAnotherStorageIsRefused() {
        try (FileRaftStorage storage = open(1 << 20)) {
            DurableStorage.PendingSync foreign = new dev.ratchet.raft.MemoryStorage().startSync();
            assertThatThrownBy(() -> storage.finishSync(foreign)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static Snapshot snapshotAt(long index) {
        return new Snapshot(new SnapshotMetadata(index, 1, new ConfState(java.util.Set.of("n1"), java.util.Set.of())),
                new byte[] {1});
    }

    private int forces() {
        return (int) io.journal().stream().filter(e -> e.startsWith("force wal-")).count();
    }

    private long segments() throws Exception {
        try (var files = Files.list(dir.resolve("wal"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("wal-")).count();
        }
    }
}
