package dev.ratchet.storage;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Any sequence of appends (with conflicts), hard-state updates, local and installed snapshots, syncs,
 * clean reopens and crashes (close without sync) leaves the file storage showing exactly what
 * {@link StorageModel} says. Tiny segments and cache force roll-over, compaction and disk reads. A crash
 * keeps the last synced state plus some prefix of the writes after it (a segment rollover forces what
 * came before it), record by record: the storage must show one of those prefixes.
 */
class FileRaftStoragePropertiesTest {

    /** One generated action; its numbers are interpreted against the model so every action is valid. */
    record Step(int kind, int a, int b, int c) {
        @Override
        public String toString() {
            String name = kind < 45 ? "append" : kind < 60 ? "hardState" : kind < 68 ? "localSnapshot"
                    : kind < 74 ? "installSnapshot" : kind < 87 ? "sync" : kind < 94 ? "reopen" : "crash";
            return name + "(" + a + "," + b + "," + c + ")";
        }
    }

    /** A catch-up margin of a few entries and about two large ones' bytes, so both bounds come into play. */
    private static final StorageOptions OPTIONS =
            StorageOptions.DEFAULTS.withSegmentBytes(4096).withCache(4, 1024).withCatchUp(6, 6000);

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 1000);
        return Combinators.combine(Arbitraries.integers().between(0, 99), small, small,
                        Arbitraries.integers().between(0, 1_000_000))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(50);
    }

    @Property(tries = 80)
    void storageMatchesInMemoryModel(@ForAll("steps") List<Step> steps) throws IOException {
        Path dir = Files.createTempDirectory("ratchet-storage-prop");
        try {
            run(steps, dir);
        } finally {
            deleteRecursively(dir);
        }
    }

    private void run(List<Step> steps, Path dir) {
        StorageModel model = new StorageModel(OPTIONS);
        // What a crash may leave: the synced state, then the state after each record written since.
        List<StorageModel> crashCandidates = new ArrayList<>(List.of(model.copy()));
        FileRaftStorage storage = open(dir);
        try {
            for (Step step : steps) {
                if (step.kind() < 45) {
                    append(step, model, storage, crashCandidates);
                } else if (step.kind() < 60) {
                    hardState(step, model, storage);
                    crashCandidates.add(model.copy());
                } else if (step.kind() < 68) {
                    localSnapshot(step, model, storage);
                    crashCandidates.add(model.copy());
                } else if (step.kind() < 74) {
                    installSnapshot(step, model, storage, crashCandidates);
                } else if (step.kind() < 87) {
                    storage.sync();
                    crashCandidates = new ArrayList<>(List.of(model.copy()));
                } else if (step.kind() < 94) {
                    storage.sync();
                    storage.close();
                    storage = open(dir);
                    crashCandidates = new ArrayList<>(List.of(model.copy()));
                } else {
                    storage.close(); // Unsynced writes may be lost, exactly as in a crash.
                    storage = open(dir);
                    FileRaftStorage reopened = storage;
                    model = crashCandidates.stream().filter(candidate -> candidate.matches(reopened)).findFirst()
                            .orElseThrow(() -> new AssertionError("after a crash the storage shows none of the "
                                    + "synced state's continuations, last index " + reopened.lastIndex()))
                            .copy();
                    crashCandidates = new ArrayList<>(List.of(model.copy()));
                }
                model.assertMatches(storage);
            }
            storage.sync();
            storage.close();
            storage = open(dir);
            model.assertMatches(storage);
        } finally {
            storage.close();
        }
    }

    private static void append(Step step, StorageModel model, FileRaftStorage storage,
            List<StorageModel> crashCandidates) {
        long first = Math.max(model.snapshotIndex() + 1, model.lastIndex() + 1 - step.a() % 4);
        int count = 1 + step.b() % 5;
        long term = Math.max(1, model.term(first - 1)) + (step.c() % 3 == 2 ? 1 : 0);
        Random random = new Random(step.c());
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int kind = random.nextInt(10);
            Entry entry;
            if (kind == 0) {
                char op = "+~-".charAt(random.nextInt(3));
                entry = new Entry(first + i, term, EntryType.CONF_CHANGE, TestConfChanges.encode(op, "n" + random.nextInt(5)));
            } else if (kind == 1) {
                entry = new Entry(first + i, term, EntryType.NOOP, null);
            } else {
                byte[] data = new byte[kind == 2 ? 2000 + random.nextInt(2000) : random.nextInt(200)];
                random.nextBytes(data);
                entry = new Entry(first + i, term, EntryType.COMMAND, data);
            }
            entries.add(entry);
        }
        storage.append(entries);
        StorageModel partial = model.copy();
        partial.truncateFrom(first);
        crashCandidates.add(partial.copy());
        for (Entry entry : entries) {
            partial.append(List.of(entry));
            crashCandidates.add(partial.copy());
        }
        model.append(entries);
    }

    private static void hardState(Step step, StorageModel model, FileRaftStorage storage) {
        HardState current = model.hardState;
        boolean newTerm = step.a() % 3 == 0;
        String vote;
        if (newTerm) {
            vote = step.b() % 3 == 0 ? null : "n" + step.b() % 3;
        } else {
            vote = current.votedFor() != null ? current.votedFor() : step.b() % 2 == 0 ? "n" + step.b() % 3 : null;
        }
        HardState next = new HardState(current.term() + (newTerm ? 1 : 0), vote, current.commit() + step.c() % 3);
        storage.setHardState(next);
        model.hardState = next;
    }

    private static void localSnapshot(Step step, StorageModel model, FileRaftStorage storage) {
        if (model.lastIndex() == model.snapshotIndex()) {
            return;
        }
        long index = model.snapshotIndex() + 1 + step.a() % (model.lastIndex() - model.snapshotIndex());
        Snapshot snapshot = new Snapshot(new SnapshotMetadata(index, model.term(index), model.confAt(index)),
                data(step.c()));
        storage.saveLocalSnapshot(snapshot);
        model.snapshot(snapshot, true);
    }

    private static void installSnapshot(Step step, StorageModel model, FileRaftStorage storage,
            List<StorageModel> crashCandidates) {
        long index = model.snapshotIndex() + 1 + step.a() % (model.lastIndex() - model.snapshotIndex() + 3);
        boolean inLog = index <= model.lastIndex();
        long term;
        if (inLog) {
            term = step.b() % 2 == 0 ? model.term(index) : model.term(index) + 1;
        } else {
            term = Math.max(1, model.term(model.lastIndex())) + step.b() % 2;
        }
        ConfState conf = new ConfState(Set.of("n" + step.c() % 3), Set.of());
        Snapshot snapshot = new Snapshot(new SnapshotMetadata(index, term, conf), data(step.c()));
        storage.installSnapshot(snapshot);
        model.snapshot(snapshot, inLog && model.term(index) == term);
        crashCandidates.add(model.copy());
        if (model.hardState.commit() < index) {
            model.hardState = new HardState(model.hardState.term(), model.hardState.votedFor(), index);
            crashCandidates.add(model.copy());
        }
    }

    private static byte[] data(int seed) {
        byte[] data = new byte[seed % 300];
        new Random(seed).nextBytes(data);
        return data;
    }

    private static FileRaftStorage open(Path dir) {
        return FileRaftStorage.open(dir, TestConfChanges.INSTANCE, OPTIONS, new PosixFileIo());
    }

    static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
