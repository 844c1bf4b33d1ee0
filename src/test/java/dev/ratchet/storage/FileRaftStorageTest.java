package dev.ratchet.storage;

import static dev.ratchet.storage.StorageFixture.entries;
import static dev.ratchet.storage.StorageFixture.open;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.LogCompactedException;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import dev.ratchet.raft.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract's edges: argument checks, the vote rule, conf state, locking, permissions, compaction. */
class FileRaftStorageTest {

    @TempDir
    Path dir;

    @Test
    void rejectsInvalidAppendsWithoutWritingAnything() {
        try (FileRaftStorage storage = open(dir)) {
            storage.append(entries(1, 5, 2));

            assertThatThrownBy(() -> storage.append(entries(7, 8, 2))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.append(List.of(StorageFixture.entry(6, 2), StorageFixture.entry(8, 2))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.append(entries(6, 6, 1))).as("term below its predecessor")
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(storage.lastIndex()).isEqualTo(5);
            assertThat(storage.isFailed()).isFalse();
        }
    }

    @Test
    void rejectsEntriesAboveTheRecordLimit() {
        StorageOptions options = new StorageOptions(64 * 1024, 1024, 1024 * 1024, 16, 1024 * 1024, 4096, 0, 0, 0);
        try (FileRaftStorage storage = StorageFixture.open(dir, options)) {
            Entry fits = new Entry(1, 1, EntryType.COMMAND, new byte[1024 - 18]);
            Entry tooBig = new Entry(2, 1, EntryType.COMMAND, new byte[1024 - 17]);
            storage.append(List.of(fits));

            assertThatThrownBy(() -> storage.append(List.of(tooBig))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("record limit");
            storage.sync();
        }
        try (FileRaftStorage storage = StorageFixture.open(dir, options)) {
            assertThat(storage.entries(1, 2, Long.MAX_VALUE)).hasSize(1);
        }
    }

    @Test
    void neverAcceptsASecondVoteInTheSameTerm() {
        try (FileRaftStorage storage = open(dir)) {
            storage.setHardState(new HardState(3, "a", 0));
            storage.sync();

            assertThatThrownBy(() -> storage.setHardState(new HardState(3, "b", 0)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> storage.setHardState(new HardState(2, null, 0)))
                    .isInstanceOf(IllegalArgumentException.class);
            storage.setHardState(new HardState(3, "a", 4));
            storage.setHardState(new HardState(4, "b", 4));
            storage.sync();
        }
        try (FileRaftStorage storage = open(dir)) {
            assertThat(storage.hardState()).isEqualTo(new HardState(4, "b", 4));
        }
    }

    @Test
    void confStateIsTheSnapshotsPlusLaterConfChanges() {
        try (FileRaftStorage storage = open(dir)) {
            storage.append(List.of(
                    new Entry(1, 1, EntryType.CONF_CHANGE, TestConfChanges.encode('+', "a")),
                    new Entry(2, 1, EntryType.CONF_CHANGE, TestConfChanges.encode('+', "b")),
                    new Entry(3, 1, EntryType.CONF_CHANGE, TestConfChanges.encode('~', "c"))));
            assertThat(storage.confState()).isEqualTo(new ConfState(Set.of("a", "b"), Set.of("c")));

            storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(2, 1, new ConfState(Set.of("a", "b"), Set.of())),
                    new byte[0]));
            storage.append(List.of(new Entry(3, 2, EntryType.CONF_CHANGE, TestConfChanges.encode('-', "a"))));
            storage.sync();
        }
        try (FileRaftStorage storage = open(dir)) {
            assertThat(storage.confState()).isEqualTo(new ConfState(Set.of("b"), Set.of()));
        }
    }

    @Test
    void snapshotsThatAreNotNewerAreIgnoredOrRefused() {
        ConfState conf = new ConfState(Set.of("a"), Set.of());
        Snapshot installed = new Snapshot(new SnapshotMetadata(10, 2, conf), new byte[] {10});
        try (FileRaftStorage storage = open(dir)) {
            storage.append(entries(1, 5, 1));
            storage.installSnapshot(installed);
            assertThat(storage.hardState().commit()).as("covered by the snapshot, so committed").isEqualTo(10);

            storage.installSnapshot(installed);
            storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(10, 2, conf), new byte[] {99}));
            assertThatThrownBy(() -> storage.installSnapshot(new Snapshot(new SnapshotMetadata(8, 2, conf), new byte[0])))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(storage.snapshot()).isEqualTo(installed);
            assertThat(storage.lastIndex()).isEqualTo(10);
            storage.sync();
        }
        try (FileRaftStorage storage = open(dir)) {
            assertThat(storage.snapshot()).isEqualTo(installed);
            assertThat(storage.hardState()).isEqualTo(new HardState(0, null, 10));
        }
    }

    @Test
    void aSecondInstanceOnTheSameDirectoryIsRefused() {
        try (FileRaftStorage storage = open(dir)) {
            assertThatThrownBy(() -> open(dir)).isInstanceOf(StorageException.class).hasMessageContaining("in use");
        }
    }

    @Test
    void filesAreOwnerOnly() throws IOException {
        assumeTrue(PosixFileIo.isPosix(dir.getFileSystem()), "POSIX permissions");
        Path dataDir = dir.resolve("node");
        try (FileRaftStorage storage = open(dataDir)) {
            storage.append(entries(1, 3, 1));
            storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(2, 1, ConfState.EMPTY), new byte[] {1}));
            storage.sync();
        }
        for (Path directory : List.of(dataDir, dataDir.resolve("wal"), dataDir.resolve("snap"))) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)))
                    .as(directory.toString()).isEqualTo("rwx------");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        for (Path file : files) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .as(file.toString()).isEqualTo("rw-------");
        }
    }

    @Test
    void tightensStorageDirectoriesThatExistedWithLooserPermissions() throws IOException {
        assumeTrue(PosixFileIo.isPosix(dir.getFileSystem()), "POSIX permissions");
        Path dataDir = dir.resolve("node");
        Files.createDirectories(dataDir.resolve("wal"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dataDir.resolve("wal"), PosixFilePermissions.fromString("rwxr-xr-x"));
        try (FileRaftStorage storage = open(dataDir)) {
            assertThat(storage.lastIndex()).isZero();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("wal"))))
                .isEqualTo("rwx------");
    }

    @Test
    void snapshotsKeepTheNewestTwoAndCompactTheLogBehindTheOlder() throws IOException {
        StorageOptions options = StorageOptions.DEFAULTS.withSegmentBytes(4096).withCatchUp(0, 0);
        try (FileRaftStorage storage = StorageFixture.open(dir, options)) {
            for (long index = 1; index <= 600; index += 20) {
                storage.append(entries(index, index + 19, 1));
            }
            for (long at : new long[] {100, 300, 500}) {
                storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(at, 1, ConfState.EMPTY), new byte[] {1}));
                storage.sync();
            }
            assertThat(storage.entries(501, 601, Long.MAX_VALUE)).isEqualTo(entries(501, 600, 1));
        }
        try (Stream<Path> snaps = Files.list(dir.resolve("snap"))) {
            assertThat(snaps.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "snap-00000000000000000300-00000000000000000001.snap",
                    "snap-00000000000000000500-00000000000000000001.snap");
        }
        assertThat(StorageFixture.segment(dir, 0)).doesNotExist();
        try (FileRaftStorage storage = StorageFixture.open(dir, options)) {
            assertThat(storage.firstIndex()).isEqualTo(501);
            assertThat(storage.entries(501, 601, Long.MAX_VALUE)).isEqualTo(entries(501, 600, 1));
        }
    }

    /** Issue 12: a snapshot keeps a catch-up margin of entries below its index, bounded in entries and bytes. */
    @Test
    void snapshotsKeepACatchUpMarginBelowTheirIndex() throws IOException {
        StorageOptions options = StorageOptions.DEFAULTS.withSegmentBytes(4096).withCatchUp(50, Long.MAX_VALUE);
        try (FileRaftStorage storage = StorageFixture.open(dir, options)) {
            for (long index = 1; index <= 600; index += 20) {
                storage.append(entries(index, index + 19, 1));
            }
            for (long at : new long[] {100, 300, 500}) {
                storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(at, 1, ConfState.EMPTY), new byte[] {1}));
                storage.sync();
            }
            assertMargin(storage, 451);
        }
        assertThat(StorageFixture.segment(dir, 0)).as("compacted behind the older snapshot").doesNotExist();
        try (FileRaftStorage storage = StorageFixture.open(dir, options)) {
            assertMargin(storage, 451);
            // A later snapshot moves the margin along.
            storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(580, 1, ConfState.EMPTY), new byte[] {2}));
            storage.sync();
            assertMargin(storage, 531);
        }
    }

    @Test
    void theCatchUpMarginIsAlsoBoundedInBytes() {
        long tenEntries = entries(491, 500, 1).stream().mapToLong(Entry::sizeBytes).sum();
        StorageOptions options = StorageOptions.DEFAULTS.withCatchUp(50, tenEntries);
        try (FileRaftStorage storage = StorageFixture.open(dir, options)) {
            storage.append(entries(1, 600, 1));
            storage.saveLocalSnapshot(new Snapshot(new SnapshotMetadata(500, 1, ConfState.EMPTY), new byte[] {1}));
            storage.sync();
            assertMargin(storage, 491);
        }
        try (FileRaftStorage storage = StorageFixture.open(dir, options)) {
            assertMargin(storage, 491);
        }
    }

    private static void assertMargin(FileRaftStorage storage, long firstIndex) {
        assertThat(storage.firstIndex()).isEqualTo(firstIndex);
        assertThat(storage.entries(firstIndex, 601, Long.MAX_VALUE)).isEqualTo(entries(firstIndex, 600, 1));
        assertThat(storage.term(firstIndex)).isEqualTo(1);
        assertThatThrownBy(() -> storage.term(firstIndex - 1)).isInstanceOf(LogCompactedException.class);
        assertThatThrownBy(() -> storage.entries(firstIndex - 1, 601, Long.MAX_VALUE))
                .isInstanceOf(LogCompactedException.class);
        assertThatThrownBy(() -> storage.append(entries(storage.snapshot().metadata().index(), 600, 2)))
                .as("the margin is committed: no append may rewrite it").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesAfterCloseFail() {
        FileRaftStorage storage = open(dir);
        storage.close();
        assertThatThrownBy(() -> storage.append(entries(1, 1, 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(storage::lastIndex).isInstanceOf(IllegalStateException.class);
    }
}
