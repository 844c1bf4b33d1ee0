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
        assertThat(storage.isFailed()).as("the failed force stops the storage at once, on its own thread").isTrue();
        assertThatThrownBy(() -> storage.finishSync(pending)).isInstanceOf(StorageException.class)
                .hasMessageContaining("Input/output error");
        assertThatThrownBy(() -> storage.append(entries(4, 4, 1))).isInstanceOf(StorageException.class);
        assertThatThrownBy(storage::startSync).isInstanceOf(StorageException.class);
        storage.close();
    }

    /**
     * After a failed fsync Linux may drop the dirty pages and report success to the next fsync. A failed force is
     * therefore final: a later sync on the writer thread, or a later pipelined one, must not succeed.
     */
    @Test
    void aFailedForceCannotBeHiddenByALaterForceThatSucceeds() {
        FileRaftStorage storage = open(1 << 20);
        storage.append(entries(1, 3, 1));
        DurableStorage.PendingSync first = storage.startSync();
        storage.append(entries(4, 6, 1));
        DurableStorage.PendingSync second = storage.startSync();
        io.failForce(true);
        first.force();
        io.failForce(false); // the disk answers again, the pages of the first force may be gone
        second.force();
        assertThat(second.failed()).as("the segment remembers its failed force").isTrue();
        assertThatThrownBy(storage::sync).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> storage.finishSync(second)).isInstanceOf(StorageException.class);
        storage.close();
    }

    /**
     * A sync started before a local snapshot must not drop the older snapshot files when it finishes: the new
     * snapshot's WAL marker is not durable yet, and after a crash the two newest usable snapshots must still be
     * there (the newest may turn out corrupt).
     */
    @Test
    void twoUsableSnapshotsSurviveACrashRightAfterASyncThatPrecedesTheNewestSnapshot() throws Exception {
        FileRaftStorage storage = open(1 << 20);
        storage.append(entries(1, 30, 1));
        storage.setHardState(new HardState(1, null, 30));
        storage.saveLocalSnapshot(snapshotAt(5));
        storage.sync();
        storage.saveLocalSnapshot(snapshotAt(10));
        storage.sync();
        DurableStorage.PendingSync beforeSnapshot = storage.startSync();
        storage.saveLocalSnapshot(snapshotAt(20));
        beforeSnapshot.force();
        storage.finishSync(beforeSnapshot);
        storage.close(); // a crash: the marker of snapshot 20 was never synced
        Files.write(dir.resolve("snap").resolve(SnapshotStore.fileName(snapshotAt(10).metadata())),
                new byte[] {1, 2, 3}); // and the newest usable snapshot turns out corrupt
        try (FileRaftStorage reopened = FileRaftStorage.open(dir, TestConfChanges.INSTANCE)) {
            assertThat(reopened.snapshot().metadata().index()).isEqualTo(5);
            assertThat(reopened.lastIndex()).isEqualTo(30);
        }
    }

    /**
     * Under sustained writes a newer sync is always started before the previous one finishes, and a local
     * snapshot may come every round: compaction must still run, or snapshot files and segments pile up.
     */
    @Test
    void compactionKeepsUpWhileASyncIsAlwaysInFlight() throws Exception {
        FileRaftStorage storage = open(4096);
        long index = 1;
        DurableStorage.PendingSync previous = null;
        for (int round = 0; round < 30; round++) {
            storage.append(entries(index, index + 19, 1));
            index += 20;
            storage.setHardState(new HardState(1, null, index - 1));
            storage.saveLocalSnapshot(snapshotAt(index - 1));
            DurableStorage.PendingSync next = storage.startSync();
            if (previous != null) {
                previous.force();
                storage.finishSync(previous);
            }
            previous = next;
        }
        try (var files = Files.list(dir.resolve("snap"))) {
            assertThat(files.filter(p -> p.getFileName().toString().endsWith(".snap")).count())
                    .as("the newest (marker not durable yet) and the two before it").isEqualTo(3);
        }
        assertThat(segments()).isLessThan(5);
        storage.close();
        try (FileRaftStorage reopened = FileRaftStorage.open(dir, TestConfChanges.INSTANCE)) {
            assertThat(reopened.snapshot().metadata().index()).isGreaterThanOrEqualTo(index - 41);
        }
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
