package dev.ratchet.storage;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The child process of {@link CrashRecoveryTest}: recovers the storage, starts a new term, then
 * appends, commits, snapshots and syncs forever, printing {@code ack <index> <term>} only after
 * {@code sync()} returned. The test kills it with SIGKILL at arbitrary points.
 */
public final class CrashWriter {

    static final StorageOptions OPTIONS = StorageOptions.DEFAULTS.withSegmentBytes(64 * 1024).withCache(64, 16 * 1024);
    static final int SNAPSHOT_DISTANCE = 300;

    private CrashWriter() {}

    /** The payload every entry must carry, derived from index and term alone so damage is detectable. */
    static byte[] payload(long index, long term) {
        byte[] head = ("entry " + index + " term " + term + " ").getBytes(StandardCharsets.UTF_8);
        byte[] data = Arrays.copyOf(head, head.length + (int) (index * 7919 % 400));
        Arrays.fill(data, head.length, data.length, (byte) ('a' + index % 26));
        return data;
    }

    static byte[] snapshotData(long index) {
        return ("snapshot through " + index).getBytes(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        try (FileRaftStorage storage = FileRaftStorage.open(dir, (base, entry) -> base, OPTIONS, new PosixFileIo())) {
            long term = storage.hardState().term() + 1;
            storage.setHardState(new HardState(term, "self", storage.hardState().commit()));
            storage.sync();
            System.out.println("term " + term);
            System.out.flush();
            long next = storage.lastIndex() + 1;
            while (true) {
                int batch = 1 + random.nextInt(32);
                List<Entry> entries = new ArrayList<>(batch);
                for (int i = 0; i < batch; i++) {
                    entries.add(new Entry(next + i, term, EntryType.COMMAND, payload(next + i, term)));
                }
                storage.append(entries);
                next += batch;
                if (random.nextInt(4) == 0) {
                    storage.setHardState(new HardState(term, "self", next - 1));
                }
                long snapshotAt = next - 1 - 50;
                if (random.nextInt(16) == 0 && snapshotAt - storage.snapshot().metadata().index() > SNAPSHOT_DISTANCE) {
                    storage.saveLocalSnapshot(new Snapshot(
                            new SnapshotMetadata(snapshotAt, storage.term(snapshotAt), ConfState.EMPTY),
                            snapshotData(snapshotAt)));
                }
                storage.sync();
                System.out.println("ack " + (next - 1) + " " + term);
                System.out.flush();
            }
        }
    }
}
