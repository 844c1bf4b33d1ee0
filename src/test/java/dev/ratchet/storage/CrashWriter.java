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
 * appends (small batches and some that cross WAL segments), commits, snapshots and syncs forever, printing {@code ack <index> <term>} only after
 * {@code sync()} returned. The test kills it with SIGKILL at arbitrary points.
 */
public final class CrashWriter {

    /**
     * 64 KiB segments with a 4 KiB write buffer (the default ratio is 64 MiB to 4 MiB): a large batch crosses
     * segments and hands the new segment's bytes to the OS before it is synced.
     */
    static final StorageOptions OPTIONS = StorageOptions.DEFAULTS.withSegmentBytes(64 * 1024).withCache(64, 16 * 1024)
            .withWriteBufferBytes(4096);
    static final int SNAPSHOT_DISTANCE = 300;
    static final String PAUSE_IN_LARGE_BATCH = "pause-in-large-batch";

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

    /**
     * Arguments: data directory, seed, and optionally {@value #PAUSE_IN_LARGE_BATCH}: then, after appending
     * its first segment-crossing batch and before syncing it, the writer prints {@code paused} and waits on
     * stdin, so that the test's SIGKILL lands exactly inside a large unsynced batch.
     */
    public static void main(String[] args) throws java.io.IOException {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        boolean pauseInLargeBatch = args.length > 2 && args[2].equals(PAUSE_IN_LARGE_BATCH);
        try (FileRaftStorage storage = FileRaftStorage.open(dir, (base, entry) -> base, OPTIONS, new PosixFileIo())) {
            long term = storage.hardState().term() + 1;
            storage.setHardState(new HardState(term, "self", storage.hardState().commit()));
            storage.sync();
            System.out.println("term " + term);
            System.out.flush();
            long next = storage.lastIndex() + 1;
            while (true) {
                // One batch in four is a catch-up sized one of 50-150 KiB, crossing one or two segments.
                int batch = random.nextInt(4) == 0 ? 200 + random.nextInt(400) : 1 + random.nextInt(32);
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
                if (pauseInLargeBatch && batch >= 200) {
                    System.out.println("paused");
                    System.out.flush();
                    System.in.read();
                }
                storage.sync();
                System.out.println("ack " + (next - 1) + " " + term);
                System.out.flush();
            }
        }
    }
}
