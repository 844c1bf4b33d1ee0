package dev.ratchet.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {

    @TempDir
    Path dir;

    /** A large image is forced to disk as it is written, not all at once at the end, and reads back whole. */
    @Test
    void aLargeSnapshotIsForcedEveryFewMibAndReadsBackIntact() throws Exception {
        byte[] data = new byte[SnapshotStore.SYNC_EVERY_BYTES * 2 + 12345];
        new Random(7).nextBytes(data);
        Snapshot snapshot = new Snapshot(new SnapshotMetadata(42, 3, new ConfState(Set.of("a", "b"), Set.of())), data);
        FaultyFileIo io = new FaultyFileIo();
        SnapshotStore store = new SnapshotStore(dir, io, data.length);
        store.write(snapshot);

        String temp = SnapshotStore.fileName(snapshot.metadata()) + ".tmp";
        List<String> onTemp = io.journal().stream().filter(e -> e.endsWith(" " + temp)).toList();
        assertThat(onTemp.stream().filter(e -> e.startsWith("force")).count()).as(onTemp.toString()).isEqualTo(3);
        assertThat(onTemp.indexOf("force " + temp)).as("a force before the last write").isLessThan(
                onTemp.lastIndexOf("write " + temp));

        List<SnapshotStore.SnapshotFile> files = store.list();
        assertThat(files).hasSize(1);
        Snapshot loaded = store.load(files.get(0));
        assertThat(loaded.metadata()).isEqualTo(snapshot.metadata());
        assertThat(loaded.data()).isEqualTo(data);
    }
}
