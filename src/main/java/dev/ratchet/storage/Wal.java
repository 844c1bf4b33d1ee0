package dev.ratchet.storage;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.StorageException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The open WAL segments, oldest first: appends go to the newest, which rolls over to a new segment
 * at the configured size after forcing the old one; {@link #sync()} forces every segment with unforced
 * data, oldest first, so a torn write can only ever be at the very end of the log.
 *
 * <p>Threading: owned by the storage's single writer thread; only a {@link SegmentSync} it returns may be
 * forced on another thread.
 */
final class Wal implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(Wal.class.getName());

    private final Path dir;
    private final FileIo io;
    private final StorageOptions options;
    private final LongFunction<WalRecord.SegmentHeader> headers;
    private final List<Segment> segments = new ArrayList<>();
    private boolean dirDirty;

    /**
     * @param headers the header a new segment with the given sequence starts with: the current state
     */
    Wal(Path dir, FileIo io, StorageOptions options, LongFunction<WalRecord.SegmentHeader> headers) {
        this.dir = dir;
        this.io = io;
        this.options = options;
        this.headers = headers;
    }

    /** Reopens the segments recovery kept, or starts the first segment if there are none. */
    void open(List<WalRecovery.RecoveredSegment> recovered, long nextSequence) throws IOException {
        for (WalRecovery.RecoveredSegment segment : recovered) {
            FileChannel channel = io.openReadWrite(segment.path());
            segments.add(new Segment(segment.sequence(), segment.path(), channel, segment.validBytes(),
                    channel.size(), segment.headerLastIndex(), options));
        }
        if (segments.isEmpty()) {
            startSegment(Math.max(0, nextSequence));
            sync();
        }
    }

    /** Buffers a record and returns its position for {@link #readEntry}. */
    long write(WalRecord record) throws IOException {
        Segment active = segments.get(segments.size() - 1);
        if (active.hasRecords() && active.size() + WalCodec.frameSize(record) > options.segmentBytes()) {
            // The old segment's buffered tail goes to disk first. The new segment hands bytes to the OS as
            // soon as its buffer fills, so otherwise a crash could keep the new segment without the end of
            // the old one: a hole in the middle of the log that recovery rightly refuses. One extra force
            // per segment (64 MiB by default) is the price. The new file's directory entry is forced at once
            // too, so that a sync in flight elsewhere only ever has to force the newest segment's data.
            active.seal();
            active = startSegment(active.sequence() + 1);
            io.forceDirectory(dir);
            dirDirty = false;
        }
        long position = active.append(record);
        if (active.pendingBytes() > options.writeBufferBytes()) {
            active.flush();
        }
        return position;
    }

    /** Writes and forces everything buffered: one force per touched segment, plus the directory if it changed. */
    void sync() throws IOException {
        for (Segment segment : segments) {
            if (segment.needsForce()) {
                segment.force();
            }
        }
        if (dirDirty) {
            io.forceDirectory(dir);
            dirDirty = false;
        }
    }

    /**
     * Hands every buffered record to the OS and returns what forcing them takes: only the newest segment can
     * hold unforced data, older ones were sealed at their roll-over.
     */
    SegmentSync startSync() throws IOException {
        if (dirDirty) {
            io.forceDirectory(dir);
            dirDirty = false;
        }
        Segment active = segments.get(segments.size() - 1);
        return new SegmentSync(active, active.handOff());
    }

    /** Forcing a segment up to an offset; thread-safe. */
    record SegmentSync(Segment segment, long offset) {
        void force() throws IOException {
            segment.forceTo(offset);
        }
    }

    /** Reads the entry at a position {@link #write} returned, checking it is the one expected. */
    Entry readEntry(long position, long index, long term) {
        Segment segment = segments.get((int) (Segment.sequenceOf(position) - segments.get(0).sequence()));
        long offset = Segment.offsetOf(position);
        WalRecord record;
        try {
            record = WalCodec.decode(segment.readBody(offset));
        } catch (IllegalArgumentException e) {
            throw new StorageException("undecodable record in " + segment.path() + " at byte offset " + offset, e);
        }
        if (!(record instanceof WalRecord.EntryRecord er) || er.entry().index() != index || er.entry().term() != term) {
            throw new StorageException("record in " + segment.path() + " at byte offset " + offset
                    + " is not entry " + index + "@" + term);
        }
        return er.entry();
    }

    /**
     * Deletes the oldest segments while every entry in them is at or below {@code index}: a segment's
     * successor's header says the largest index it can hold. The newest segment always stays.
     */
    void deleteSegmentsThrough(long index) throws IOException {
        while (segments.size() > 1 && segments.get(1).headerLastIndex() <= index) {
            Segment old = segments.remove(0);
            old.close();
            io.deleteIfExists(old.path());
        }
    }

    /** Heap held by the segments' write buffers (tests: only the newest segment may hold one). */
    long bufferCapacity() {
        return segments.stream().mapToLong(Segment::bufferCapacity).sum();
    }

    @Override
    public void close() {
        for (Segment segment : segments) {
            try {
                segment.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing " + segment.path(), e);
            }
        }
    }

    private Segment startSegment(long sequence) throws IOException {
        Path path = dir.resolve(Segment.fileName(sequence));
        Segment segment = new Segment(sequence, path, io.createNew(path), 0, 0, 0, options);
        segments.add(segment);
        dirDirty = true;
        segment.appendHeader(headers.apply(sequence));
        return segment;
    }
}
