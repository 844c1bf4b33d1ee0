package dev.ratchet.storage;

import static dev.ratchet.storage.StorageFixture.entries;
import static dev.ratchet.storage.StorageFixture.open;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local snapshot in two halves (issue 14): its file written on another thread while the writer thread goes
 * on appending and syncing, then adopted on the writer thread. A file never adopted is an orphan.
 */
class SnapshotFileWriteTest {

    private static final ConfState CONF = new ConfState(Set.of("a"), Set.of());
    /** Small segments, so that adopting the snapshot has whole segments to compact. */
    private static final StorageOptions SMALL = StorageOptions.DEFAULTS.withSegmentBytes(16 * 1024)
            .withCatchUp(10, 1024);

    @TempDir
    Path dir;

    @Test
    void aFileWrittenBesideTheWritesIsAdoptedAndSurvivesARestart() throws Exception {
        Snapshot snapshot = new Snapshot(new SnapshotMetadata(500, 1, CONF), new byte[256 * 1024]);
        try (FileRaftStorage storage = open(dir, SMALL)) {
            storage.append(entries(1, 500, 1));
            storage.sync();
            CompletableFuture<Void> file = CompletableFuture.runAsync(() -> storage.writeSnapshotFile(snapshot));
            for (long i = 501; i <= 1000; i += 50) {
                storage.append(entries(i, i + 49, 1));
                storage.sync(); // compaction runs here too, and must leave the file being written alone
            }
            file.get(30, TimeUnit.SECONDS);
            assertThat(storage.snapshotMetadata().index()).as("not the storage's before it is adopted").isZero();
            assertThat(storage.adoptLocalSnapshot(snapshot)).isTrue();
            storage.sync();
            assertThat(storage.snapshotMetadata()).isEqualTo(snapshot.metadata());
            assertThat(storage.firstIndex()).as("the log before it is compacted").isGreaterThan(400);
        }
        try (FileRaftStorage storage = open(dir, SMALL)) {
            assertThat(storage.snapshot()).isEqualTo(snapshot);
            assertThat(storage.lastIndex()).isEqualTo(1000);
        }
    }

    @Test
    void aFileNeverAdoptedIsDeletedAtTheNextOpen() throws IOException {
        try (FileRaftStorage storage = open(dir)) {
            storage.append(entries(1, 20, 1));
            storage.sync();
            storage.writeSnapshotFile(new Snapshot(new SnapshotMetadata(10, 1, CONF), new byte[] {1, 2, 3}));
        }
        assertThat(snapshotFiles()).hasSize(1);
        try (FileRaftStorage storage = open(dir)) {
            assertThat(storage.snapshotMetadata().index()).isZero();
            assertThat(storage.lastIndex()).isEqualTo(20);
        }
        assertThat(snapshotFiles()).as("the orphan is gone").isEmpty();
    }

    @Test
    void aLocalSnapshotOvertakenByAnInstallIsNotAdopted() throws IOException {
        try (FileRaftStorage storage = open(dir)) {
            storage.append(entries(1, 20, 1));
            storage.sync();
            Snapshot local = new Snapshot(new SnapshotMetadata(10, 1, CONF), new byte[] {1});
            storage.writeSnapshotFile(local);
            Snapshot installed = new Snapshot(new SnapshotMetadata(30, 2, CONF), new byte[] {2});
            storage.installSnapshot(installed);
            assertThat(storage.adoptLocalSnapshot(local)).isFalse();
            assertThat(storage.snapshot()).isEqualTo(installed);
            assertThat(storage.lastIndex()).isEqualTo(30);
            assertThat(snapshotFiles()).as("the overtaken file is deleted, the installed one kept")
                    .containsExactly(SnapshotStore.fileName(installed.metadata()));
        }
    }

    private Stream<String> snapshotFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("snap"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".snap")).toList().stream();
        }
    }
}
