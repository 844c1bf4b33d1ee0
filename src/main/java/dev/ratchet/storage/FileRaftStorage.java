package dev.ratchet.storage;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.EntryUnavailableException;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.LogCompactedException;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import dev.ratchet.raft.StorageException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ref.WeakReference;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@link DurableStorage} in files: a segmented write-ahead log under {@code ${dataDir}/wal/} and
 * snapshot files under {@code ${dataDir}/snap/}, all owner-only.
 *
 * <p>Writes are buffered and become durable together at {@link #sync()}, which forces each touched
 * file once (group commit). A snapshot drops the log through its index less a catch-up margin
 * ({@link StorageOptions#catchUpEntries()}, {@link StorageOptions#catchUpBytes()}): {@link #firstIndex()}
 * may be below the snapshot index. A snapshot file is written durably when the snapshot is saved or installed,
 * before the WAL marker that refers to it, so a crash at any point leaves a prefix of the writes. See {@link WalRecovery} and
 * {@link SnapshotChoice} for what opening does with torn and corrupt files.
 *
 * <p>Use: {@code FileRaftStorage.open(dataDir, confChangeDecoder)} once per node at start; hand it to
 * the Raft core as its {@link dev.ratchet.raft.RaftStorage} and let the driver write through it, one
 * {@link #sync()} (or pipelined {@link #startSync()}) per {@code Ready}. Reads show every write at once,
 * synced or not: {@link #hardState()} is the last one set (the core reads it only when it is created). Writes are checked before anything is written: entries
 * must be consecutive, start within {@code [snapshot index + 1, lastIndex() + 1]} and not lower the term; a hard
 * state must not lower term or commit nor change the vote within a term; a snapshot must be newer than
 * the current one (a local one must also match the log; one not newer is ignored, as is re-installing the
 * current snapshot). Violations throw {@link IllegalArgumentException}. Installing a snapshot raises the
 * commit index of the hard state to the snapshot's index if it was lower.
 *
 * <p>Threading: single writer, as {@link DurableStorage} requires; only {@link #isFailed()} and
 * {@link #failure()} (health checks), the {@link PendingSync#force()} of a pipelined sync and
 * {@link #writeSnapshotFile} may be called from other threads. Failure: the first I/O error of a
 * write or sync throws {@link StorageException} and marks the storage failed; every later write and
 * sync throws at once. Invalid arguments throw {@link IllegalArgumentException} and change nothing.
 */
public final class FileRaftStorage implements DurableStorage {

    private static final System.Logger LOG = System.getLogger(FileRaftStorage.class.getName());

    private final Path walDir;
    private final FileIo io;
    private final StorageOptions options;
    private final ConfChangeApplier confChanges;
    private final SnapshotStore snapshots;
    private final DirectoryLock lock;
    private final Wal wal;
    private final LogIndex log;
    private final EntryCache cache;
    private final TreeMap<Long, Entry> confEntries;
    private HardState hardState;
    /** The current snapshot's metadata; its data is in its file, and in heap only while someone holds it. */
    private SnapshotMetadata snapshotMeta;
    private WeakReference<Snapshot> snapshotInHeap = new WeakReference<>(null);
    /** The snapshot at index 0 (the empty one, or a bootstrap's): tiny, kept strongly. */
    private Snapshot initialSnapshot;
    /**
     * The snapshot read and checked at open, held strongly until its first reader (the restore) takes it: held
     * only weakly, a collection in between could make the restore read and check the whole file again.
     */
    private Snapshot openedSnapshot;
    private ConfState confState;
    private final SnapshotMarkers markers;
    /** Syncs started with {@link #startSync()}, numbering them. */
    private long syncsStarted;
    private volatile boolean closed;
    private volatile StorageException failure;

    private FileRaftStorage(Path dataDir, ConfChangeApplier confChanges, StorageOptions options, FileIo io)
            throws IOException {
        this.walDir = dataDir.resolve("wal");
        Path snapDir = dataDir.resolve("snap");
        this.io = io;
        this.options = options;
        this.confChanges = confChanges;
        io.createDirectories(walDir);
        io.createDirectories(snapDir);
        this.lock = DirectoryLock.acquire(io, walDir);
        try {
            this.snapshots = new SnapshotStore(snapDir, io, options.maxSnapshotBytes());
            WalReplay replay = new WalReplay();
            List<WalRecovery.RecoveredSegment> recovered = new WalRecovery(io, options.maxRecordBytes())
                    .recover(walDir, replay);
            snapshots.deleteUnfinished();
            if (recovered.isEmpty() && !snapshots.list().isEmpty()) {
                throw new StorageException("snapshots exist in " + snapDir + " but the WAL in " + walDir
                        + " is empty: refusing to start from a state without its hard state");
            }
            Snapshot chosen = SnapshotChoice.choose(snapshots, snapDir, replay);
            remember(chosen);
            openedSnapshot = chosen;
            long snapshotIndex = snapshotMeta.index();
            this.markers = new SnapshotMarkers(snapshotIndex);
            this.log = replay.log;
            log.dropThrough(CatchUpMargin.dropThrough(log, snapshotIndex, options));
            this.confEntries = replay.confEntries;
            confEntries.headMap(snapshotIndex, true).clear();
            this.hardState = replay.hardState;
            this.cache = new EntryCache(options.cacheEntries(), options.cacheBytes());
            this.wal = new Wal(walDir, io, options, sequence -> new WalRecord.SegmentHeader(sequence,
                    snapshotMeta.index(), snapshotMeta.term(), log.lastIndex(), hardState));
            wal.open(recovered, replay.nextSequence());
            if (snapshotIndex != replay.snapshotIndex) {
                // Fell back to an older snapshot: record it, so later segment headers agree with replay.
                wal.write(new WalRecord.SnapshotMarker(snapshotIndex, snapshotMeta.term(), true));
                wal.sync();
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Opens (creating if needed) storage under {@code dataDir} with default limits. */
    public static FileRaftStorage open(Path dataDir, ConfChangeApplier confChanges) {
        return open(dataDir, confChanges, StorageOptions.DEFAULTS, new PosixFileIo());
    }

    /**
     * Opens (creating if needed) storage under {@code dataDir}, recovering from a crash if needed.
     *
     * @throws StorageException if the files are corrupt beyond a torn tail, or locked by another process
     */
    public static FileRaftStorage open(Path dataDir, ConfChangeApplier confChanges, StorageOptions options, FileIo io) {
        Objects.requireNonNull(confChanges, "confChanges");
        try {
            return new FileRaftStorage(dataDir, confChanges, options, io);
        } catch (IOException | UncheckedIOException e) {
            throw new StorageException("cannot open storage in " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** True once a write or sync failed; the storage then refuses every write. Thread-safe. */
    public boolean isFailed() {
        return failure != null;
    }

    /** The failure that stopped this storage, if any. Thread-safe. */
    public Optional<StorageException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public void append(List<Entry> entries) {
        ensureWritable();
        if (entries.isEmpty()) {
            return;
        }
        long first = entries.get(0).index();
        long snapshotIndex = snapshotMeta.index();
        if (first <= snapshotIndex || first > lastIndex() + 1) {
            throw new IllegalArgumentException("first appended index " + first + " outside [" + (snapshotIndex + 1)
                    + ", " + (lastIndex() + 1) + "]");
        }
        long previousTerm = term(first - 1);
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (entry.index() != first + i) {
                throw new IllegalArgumentException("entries not consecutive at " + entry.index());
            }
            if (entry.term() < previousTerm) {
                throw new IllegalArgumentException("entry " + entry + " has a lower term than its predecessor");
            }
            if (entry.data().length + 18L > options.maxRecordBytes()) {
                throw new IllegalArgumentException("entry " + entry + " exceeds the record limit of "
                        + options.maxRecordBytes() + " bytes");
            }
            previousTerm = entry.term();
        }
        try {
            if (first <= log.lastIndex()) {
                write(new WalRecord.TruncateRecord(first));
                log.truncateFrom(first);
                cache.truncateFrom(first);
                confEntries.tailMap(first, true).clear();
                confState = null;
            }
            for (Entry entry : entries) {
                log.append(entry.index(), entry.term(), write(new WalRecord.EntryRecord(entry)), entry.sizeBytes());
                cache.append(entry);
                if (entry.type() == EntryType.CONF_CHANGE) {
                    confEntries.put(entry.index(), entry);
                    confState = null;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw fail("append", e);
        }
    }

    @Override
    public void setHardState(HardState next) {
        ensureWritable();
        Objects.requireNonNull(next, "hardState");
        if (next.equals(hardState)) {
            return;
        }
        if (next.term() < hardState.term() || next.commit() < hardState.commit()) {
            throw new IllegalArgumentException("hard state " + next + " goes back from " + hardState);
        }
        if (next.term() == hardState.term() && hardState.votedFor() != null
                && !hardState.votedFor().equals(next.votedFor())) {
            throw new IllegalArgumentException("hard state " + next + " changes the vote of term " + next.term());
        }
        WalCodec.voteBytes(next.votedFor());
        try {
            write(new WalRecord.HardStateRecord(next));
        } catch (IOException | UncheckedIOException e) {
            throw fail("setHardState", e);
        }
        hardState = next;
    }

    @Override
    public void installSnapshot(Snapshot incoming) {
        ensureWritable();
        Objects.requireNonNull(incoming, "snapshot");
        if (incoming.metadata().equals(snapshotMeta)) {
            return; // Installed already (a retransmission).
        }
        long index = checkNewSnapshot(incoming);
        long term = incoming.metadata().term();
        boolean keepSuffix = log.contains(index) && log.term(index) == term;
        recordSnapshot(incoming, keepSuffix, true);
        if (hardState.commit() < index) {
            // What a snapshot covers is committed by definition; a restart must not report less.
            setHardState(new HardState(hardState.term(), hardState.votedFor(), index));
        }
    }

    /** Like the interface; a snapshot at or below the current snapshot index is ignored (already covered). */
    @Override
    public void saveLocalSnapshot(Snapshot local) {
        ensureWritable();
        Objects.requireNonNull(local, "snapshot");
        if (local.metadata().index() <= snapshotMeta.index()) {
            return;
        }
        checkLocalSnapshot(local);
        recordSnapshot(local, true, true);
    }

    /** Like the interface; thread-safe. Checks what it can without the writer thread's state. */
    @Override
    public void writeSnapshotFile(Snapshot local) {
        ensureWritable();
        Objects.requireNonNull(local, "snapshot");
        if (local.isEmpty()) {
            throw new IllegalArgumentException("snapshot " + local.metadata() + " is empty");
        }
        try {
            snapshots.write(local);
        } catch (IOException | UncheckedIOException e) {
            if (closed) {
                // A write that outlived close (the driver gave up waiting): not a disk failure, and its file,
                // if any, is an orphan the next open deletes.
                throw new StorageException("snapshot write cut short by close: " + e.getMessage(), e);
            }
            throw fail("snapshot", e);
        }
    }

    /** Like the interface; the file must have been written by {@link #writeSnapshotFile}. */
    @Override
    public boolean adoptLocalSnapshot(Snapshot local) {
        ensureWritable();
        Objects.requireNonNull(local, "snapshot");
        if (local.metadata().index() <= snapshotMeta.index()) {
            if (!local.metadata().equals(snapshotMeta)) {
                // Overtaken by an install: its file would otherwise stay, counted by compaction as one of the
                // two newest snapshots, until two more were taken.
                try {
                    io.deleteIfExists(snapshots.path(local.metadata()));
                } catch (IOException | UncheckedIOException e) {
                    throw fail("snapshot", e);
                }
            }
            return false;
        }
        checkLocalSnapshot(local);
        recordSnapshot(local, true, false);
        return true;
    }

    @Override
    public void sync() {
        ensureWritable();
        try {
            wal.sync();
        } catch (IOException | UncheckedIOException e) {
            throw fail("sync", e);
        }
        if (markers.syncedAll()) {
            compact();
        }
    }

    /** Like the interface; the returned sync forces only the newest WAL segment (older ones were sealed). */
    @Override
    public PendingSync startSync() {
        ensureWritable();
        try {
            // A force cut short by close() (the owner gave up waiting for it) is not a disk failure. A real
            // error racing with close goes unrecorded here, harmlessly: finishSync is never called again.
            return new WalSync(wal.startSync(), ++syncsStarted, e -> {
                if (!closed) {
                    fail("sync", e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw fail("sync", e);
        }
    }

    /**
     * Like the interface. Compaction follows the snapshots whose WAL markers {@code pending} made durable
     * ({@link SnapshotMarkers}); it deletes only sealed segments, which no force still running can touch.
     */
    @Override
    public void finishSync(PendingSync pending) {
        if (!(pending instanceof WalSync walSync)) {
            throw new IllegalArgumentException("not a sync of this storage: " + pending);
        }
        if (walSync.failure() != null) {
            throw fail("sync", walSync.failure());
        }
        ensureWritable();
        if (markers.synced(walSync.number())) {
            compact();
        }
    }

    @Override
    public HardState hardState() {
        ensureOpen();
        return hardState;
    }

    @Override
    public ConfState confState() {
        ensureOpen();
        if (confState == null) {
            ConfState folded = snapshotMeta.conf();
            for (Entry entry : confEntries.values()) {
                try {
                    folded = Objects.requireNonNull(confChanges.apply(folded, entry), "conf change result");
                } catch (RuntimeException e) {
                    throw new StorageException("cannot apply conf change " + entry + ": " + e.getMessage(), e);
                }
            }
            confState = folded;
        }
        return confState;
    }

    @Override
    public List<Entry> entries(long lo, long hi, long maxBytes) {
        ensureOpen();
        if (lo < firstIndex()) {
            throw new LogCompactedException(lo, snapshotMeta.index());
        }
        if (hi > lastIndex() + 1) {
            throw new EntryUnavailableException(hi - 1, lastIndex());
        }
        if (lo > hi) {
            throw new IllegalArgumentException("lo " + lo + " > hi " + hi);
        }
        List<Entry> result = new ArrayList<>((int) Math.min(hi - lo, 1024));
        long bytes = 0;
        for (long index = lo; index < hi; index++) {
            Entry entry = entry(index);
            bytes += entry.sizeBytes();
            if (!result.isEmpty() && bytes > maxBytes) {
                break;
            }
            result.add(entry);
        }
        return result;
    }

    @Override
    public long term(long index) {
        ensureOpen();
        long snapshotIndex = snapshotMeta.index();
        if (index == snapshotIndex) {
            return snapshotMeta.term();
        }
        if (index < firstIndex()) {
            throw new LogCompactedException(index, snapshotIndex);
        }
        if (index > lastIndex()) {
            throw new EntryUnavailableException(index, lastIndex());
        }
        return log.term(index);
    }

    @Override
    public long firstIndex() {
        ensureOpen();
        return Math.min(log.firstIndex(), snapshotMeta.index() + 1);
    }

    @Override
    public long lastIndex() {
        ensureOpen();
        return log.lastIndex();
    }

    /**
     * Like the interface. The data is not kept in heap by the storage (a snapshot can be most of a node's
     * heap): while anyone still holds the copy handed out last it is returned, otherwise it is read back from
     * its file and checked, blocking the caller for the read.
     *
     * @throws StorageException if the file is gone or fails its checksum
     */
    @Override
    public Snapshot snapshot() {
        ensureOpen();
        if (snapshotMeta.index() == 0) {
            return initialSnapshot;
        }
        if (openedSnapshot != null) {
            Snapshot first = openedSnapshot;
            openedSnapshot = null; // from here on held weakly like any other
            return first;
        }
        Snapshot held = snapshotInHeap.get();
        if (held != null) {
            return held;
        }
        SnapshotStore.SnapshotFile file = new SnapshotStore.SnapshotFile(
                snapshots.path(snapshotMeta), snapshotMeta.index(), snapshotMeta.term());
        try {
            Snapshot loaded = snapshots.load(file);
            remember(loaded);
            return loaded;
        } catch (IOException | UncheckedIOException | SnapshotStore.CorruptSnapshotException e) {
            throw new StorageException("cannot read back the current snapshot " + file.path() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public SnapshotMetadata snapshotMetadata() {
        ensureOpen();
        return snapshotMeta;
    }

    private void remember(Snapshot current) {
        snapshotMeta = current.metadata();
        if (current.metadata().index() == 0) {
            initialSnapshot = current;
        }
        snapshotInHeap = new WeakReference<>(current);
    }

    /** Closes the files without syncing: writes since the last {@link #sync()} may or may not survive. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            closeQuietly();
        }
    }

    /** A snapshot taken from this node's own state: newer than the current one and matching the log. */
    private void checkLocalSnapshot(Snapshot local) {
        long index = checkNewSnapshot(local);
        if (index > lastIndex() || log.term(index) != local.metadata().term()) {
            throw new IllegalArgumentException("local snapshot " + local.metadata() + " does not match the log");
        }
    }

    private long checkNewSnapshot(Snapshot candidate) {
        Objects.requireNonNull(candidate, "snapshot");
        long index = candidate.metadata().index();
        if (candidate.isEmpty() || index <= snapshotMeta.index()) {
            throw new IllegalArgumentException("snapshot " + candidate.metadata() + " is not newer than "
                    + snapshotMeta);
        }
        if (candidate.data().length > options.maxSnapshotBytes()) {
            throw new IllegalArgumentException("snapshot of " + candidate.data().length + " bytes exceeds "
                    + options.maxSnapshotBytes());
        }
        return index;
    }

    /** @param writeFile false if {@link #writeSnapshotFile} wrote the file already */
    private void recordSnapshot(Snapshot next, boolean keepSuffix, boolean writeFile) {
        long index = next.metadata().index();
        try {
            // The file goes first and durably: buffered WAL bytes may reach the OS before sync(), and a
            // marker must never survive a crash without its file. A file without marker is an orphan.
            if (writeFile) {
                snapshots.write(next);
            }
            write(new WalRecord.SnapshotMarker(index, next.metadata().term(), keepSuffix));
        } catch (IOException | UncheckedIOException e) {
            throw fail("snapshot", e);
        }
        if (keepSuffix) {
            log.dropThrough(CatchUpMargin.dropThrough(log, index, options));
            cache.dropThrough(index);
            confEntries.headMap(index, true).clear();
        } else {
            log.reset(index);
            cache.clear();
            confEntries.clear();
        }
        remember(next);
        openedSnapshot = null;
        markers.written(index, syncsStarted);
        confState = null;
    }

    private Entry entry(long index) {
        Entry cached = cache.get(index);
        return cached != null ? cached : wal.readEntry(log.position(index), index, log.term(index));
    }

    private long write(WalRecord record) throws IOException {
        return wal.write(record);
    }

    /**
     * Keeps every snapshot file newer than the newest durable marker, the two newest at or below it, and
     * the WAL from the older of those two on, so that a newest snapshot found corrupt at the next start can
     * be replaced by the older one plus the log; and the WAL of the catch-up margin, if that reaches further back.
     */
    private void compact() {
        try {
            long durable = markers.durableIndex();
            List<SnapshotStore.SnapshotFile> covered = snapshots.list().stream()
                    .filter(f -> f.index() <= durable).toList();
            if (covered.size() < 2) {
                return;
            }
            long floor = Math.min(covered.get(1).index(), log.base());
            for (SnapshotStore.SnapshotFile old : covered.subList(2, covered.size())) {
                snapshots.delete(old);
            }
            wal.deleteSegmentsThrough(floor);
        } catch (IOException | UncheckedIOException e) {
            throw fail("sync", e);
        }
    }

    /** Marks the storage failed; also called by a failed {@link WalSync} on the sync thread, hence synchronized. */
    private synchronized StorageException fail(String operation, Exception cause) {
        StorageException error = new StorageException(operation + " failed, storage is now read-only: "
                + cause.getMessage(), cause);
        if (failure == null) {
            failure = error;
            LOG.log(Level.ERROR, "storage in " + walDir.getParent() + " failed", cause);
        }
        return error;
    }

    /** Heap held by the WAL's write buffers (tests). Writer thread. */
    long walBufferCapacity() {
        return wal.bufferCapacity();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("storage is closed");
        }
    }

    private void ensureWritable() {
        ensureOpen();
        StorageException failed = failure;
        if (failed != null) {
            throw new StorageException("storage failed earlier and refuses writes: " + failed.getMessage(), failed);
        }
    }

    private void closeQuietly() {
        if (wal != null) {
            wal.close();
        }
        lock.release();
    }
}
