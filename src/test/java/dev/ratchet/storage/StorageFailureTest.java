package dev.ratchet.storage;

import static dev.ratchet.storage.StorageFixture.entries;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import dev.ratchet.raft.StorageException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A full disk or a failing fsync stops the storage; nothing unforced is ever reported as persisted. */
class StorageFailureTest {

    @TempDir
    Path dir;

    private final FaultyFileIo io = new FaultyFileIo();

    private FileRaftStorage open(FileIo fileIo) {
        return FileRaftStorage.open(dir, TestConfChanges.INSTANCE, StorageOptions.DEFAULTS.withSegmentBytes(8192), fileIo);
    }

    @Test
    void diskFullDuringSyncFailsTheStorageAndKeepsEveryAcknowledgedEntry() {
        long acknowledged = 0;
        FileRaftStorage storage = open(io);
        io.limitWrites(20_000);
        StorageException failure = null;
        for (long index = 1; index < 100_000 && failure == null; index += 10) {
            try {
                storage.append(entries(index, index + 9, 1));
                storage.sync();
                acknowledged = index + 9;
            } catch (StorageException e) {
                failure = e;
            }
        }

        assertThat(failure).hasMessageContaining("No space left on device");
        assertThat(acknowledged).isPositive();
        assertThat(storage.isFailed()).isTrue();
        assertThat(storage.failure()).isPresent();
        io.limitWrites(Long.MAX_VALUE); // Space is back, but the storage must stay stopped.
        long next = storage.lastIndex() + 1;
        assertThatThrownBy(() -> storage.append(entries(next, next, 1))).isInstanceOf(StorageException.class);
        assertThatThrownBy(storage::sync).isInstanceOf(StorageException.class);
        assertThatThrownBy(() -> storage.setHardState(new HardState(5, null, 0))).isInstanceOf(StorageException.class);
        storage.close();

        try (FileRaftStorage reopened = open(new PosixFileIo())) {
            assertThat(reopened.lastIndex()).isGreaterThanOrEqualTo(acknowledged);
            assertThat(reopened.entries(1, acknowledged + 1, Long.MAX_VALUE)).isEqualTo(entries(1, acknowledged, 1));
        }
    }

    @Test
    void failingFsyncFailsTheStorage() {
        try (FileRaftStorage storage = open(io)) {
            storage.append(entries(1, 5, 1));
            storage.sync();
            storage.append(entries(6, 10, 1));
            io.failForce(true);

            assertThatThrownBy(storage::sync).isInstanceOf(StorageException.class)
                    .hasMessageContaining("Input/output error");
            io.failForce(false);
            assertThat(storage.isFailed()).isTrue();
            assertThatThrownBy(storage::sync).isInstanceOf(StorageException.class)
                    .hasMessageContaining("refuses writes");
        }
    }

    @Test
    void diskFullWhileWritingASnapshotFailsTheStorage() {
        try (FileRaftStorage storage = open(io)) {
            storage.append(entries(1, 5, 1));
            storage.sync();
            io.limitWrites(100);
            Snapshot big = new Snapshot(new SnapshotMetadata(5, 1, ConfState.EMPTY), new byte[10_000]);

            assertThatThrownBy(() -> storage.saveLocalSnapshot(big)).isInstanceOf(StorageException.class)
                    .hasMessageContaining("No space left on device");
            assertThat(storage.isFailed()).isTrue();
            assertThatThrownBy(() -> storage.append(List.of(StorageFixture.entry(6, 1))))
                    .isInstanceOf(StorageException.class);
        }
        try (FileRaftStorage reopened = open(new PosixFileIo())) {
            assertThat(reopened.snapshot().isEmpty()).isTrue();
            assertThat(reopened.lastIndex()).isEqualTo(5);
        }
    }
}
