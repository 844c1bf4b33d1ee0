package dev.ratchet.storage;

import dev.ratchet.raft.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.nio.file.Path;

/**
 * One WAL segment file. Records are encoded into an in-memory buffer and only handed to the OS on
 * {@link #flush()} (or when the buffer passes its bound); {@link #force()} makes them durable. Reads of
 * records still in the buffer are served from it.
 *
 * <p>Threading: owned by the storage's single writer thread, except {@link #forceTo(long)}, which a sync
 * thread may call concurrently with the writer's appends (a pipelined sync, issue 14). Forces of one segment
 * are serialised, and a failed force is final: every later force of the segment throws it again. After a
 * failed fsync Linux may drop the dirty pages and let the next fsync succeed, so a force that returns must
 * never follow one that failed.
 */
final class Segment implements AutoCloseable {

    /** Positions pack the segment sequence above 40 bits of byte offset (segments stay far below 1 TiB). */
    private static final int OFFSET_BITS = 40;
    private static final long OFFSET_MASK = (1L << OFFSET_BITS) - 1;
    private static final ByteBuffer NO_BUFFER = ByteBuffer.allocate(0);
    private static final int INITIAL_BUFFER_BYTES = 64 * 1024;

    private final long sequence;
    private final Path path;
    private final FileChannel channel;
    private final int maxRecordBytes;
    private final long preallocateBytes;
    private final long segmentBytes;
    private long allocatedBytes;
    /**
     * Records not yet handed to the OS. Allocated on the first append and dropped at the seal: a WAL keeps
     * every segment back to the compaction floor open, and a buffer each (64 KiB apiece, hundreds of small
     * segments) filled a 256 MB heap once.
     */
    private ByteBuffer pending = NO_BUFFER;
    private long writtenBytes;
    /** Bytes known on disk: everything before this offset was forced (or was there when the file was opened). */
    private final AtomicLong forcedBytes = new AtomicLong();
    /** Set once the writer forced the segment for good at a roll-over: nothing in it is left to force. */
    private volatile boolean sealed;
    /** Guards the forces and {@link #forceFailure}. */
    private final Object forceLock = new Object();
    private IOException forceFailure;
    private long headerLastIndex;
    private long dataStart;

    Segment(long sequence, Path path, FileChannel channel, long existingBytes, long allocatedBytes,
            long headerLastIndex, StorageOptions options) {
        this.sequence = sequence;
        this.headerLastIndex = headerLastIndex;
        this.allocatedBytes = allocatedBytes;
        this.preallocateBytes = options.preallocateBytes();
        this.segmentBytes = options.segmentBytes();
        this.path = path;
        this.channel = channel;
        this.writtenBytes = existingBytes;
        this.forcedBytes.set(existingBytes);
        this.maxRecordBytes = options.maxRecordBytes();
    }

    static String fileName(long sequence) {
        return String.format("wal-%020d.log", sequence);
    }

    /** The sequence encoded in a segment file name, or -1 if the name is not a segment's. */
    static long parseSequence(String fileName) {
        if (!fileName.matches("wal-\\d{20}\\.log")) {
            return -1;
        }
        return Long.parseLong(fileName.substring(4, 24));
    }

    static long pack(long sequence, long offset) {
        return (sequence << OFFSET_BITS) | offset;
    }

    static long sequenceOf(long position) {
        return position >>> OFFSET_BITS;
    }

    static long offsetOf(long position) {
        return position & OFFSET_MASK;
    }

    long sequence() {
        return sequence;
    }

    Path path() {
        return path;
    }

    /** The log's last index when this segment was started: every entry in older segments is at or below it. */
    long headerLastIndex() {
        return headerLastIndex;
    }

    /** True if this segment holds more than its header, so rolling over to a new one makes progress. */
    boolean hasRecords() {
        return size() > dataStart;
    }

    /** Starts a new segment with its header record. */
    void appendHeader(WalRecord.SegmentHeader header) {
        append(header);
        headerLastIndex = header.lastIndex();
        dataStart = size();
    }

    /** Bytes written so far, including those not yet handed to the OS. */
    long size() {
        return writtenBytes + pending.position();
    }

    /** Heap the write buffer holds now (tests: a sealed segment holds none). */
    int bufferCapacity() {
        return pending.capacity();
    }

    long pendingBytes() {
        return pending.position();
    }

    boolean needsForce() {
        return forcedBytes.get() < writtenBytes || pending.position() > 0;
    }

    /** Buffers the record and returns its packed position. */
    long append(WalRecord record) {
        if (sealed) {
            throw new IllegalStateException("segment " + path + " is sealed");
        }
        int frameSize = WalCodec.frameSize(record);
        if (pending.remaining() < frameSize) {
            long wanted = Math.max(Math.max((long) pending.capacity() * 2, INITIAL_BUFFER_BYTES),
                    (long) pending.position() + frameSize);
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8L, wanted));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        long offset = size();
        if (offset > OFFSET_MASK) {
            throw new IllegalStateException("segment " + path + " exceeds 1 TiB");
        }
        WalCodec.encode(record, pending);
        return pack(sequence, offset);
    }

    /** Hands buffered records to the OS without forcing them to disk. */
    void flush() throws IOException {
        if (pending.position() == 0) {
            return;
        }
        preallocate(writtenBytes + pending.position());
        pending.flip();
        while (pending.hasRemaining()) {
            writtenBytes += channel.write(pending, writtenBytes);
        }
        pending.clear();
    }

    /**
     * Extends the file with zeros ahead of the data. Overwriting blocks that already exist lets each
     * later force flush data only, instead of data plus a new file size (about 1.5x the sync rate on a
     * journaling file system). Recovery reads an all-zero tail as the clean end of the segment.
     */
    private void preallocate(long dataEnd) throws IOException {
        if (preallocateBytes == 0 || dataEnd <= allocatedBytes) {
            return;
        }
        long target = Math.max(dataEnd, Math.min(segmentBytes, (dataEnd / preallocateBytes + 1) * preallocateBytes));
        long position = Math.max(allocatedBytes, dataEnd);
        ByteBuffer zeros = ByteBuffer.allocate((int) Math.min(1024 * 1024, Math.max(1, target - position)));
        while (position < target) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), target - position));
            while (zeros.hasRemaining()) {
                position += channel.write(zeros, position);
            }
        }
        allocatedBytes = Math.max(target, dataEnd);
    }

    /** Writes buffered records and forces them (file data and size) to disk. Writer thread. */
    void force() throws IOException {
        flush();
        forceTo(writtenBytes);
    }

    /**
     * Hands buffered records to the OS and returns the offset a later {@link #forceTo} must reach to make
     * them durable. Writer thread.
     */
    long handOff() throws IOException {
        flush();
        return writtenBytes;
    }

    /**
     * Makes the bytes before {@code offset} (handed to the OS already) durable; does nothing if they are.
     * Thread-safe. A segment sealed at a roll-over was forced then, and may be closed and deleted since.
     */
    void forceTo(long offset) throws IOException {
        synchronized (forceLock) {
            throwIfForceFailed();
            if (sealed || forcedBytes.get() >= offset) {
                return;
            }
            try {
                channel.force(false);
            } catch (ClosedChannelException e) {
                if (sealed) {
                    return;
                }
                throw rememberFailure(e);
            } catch (IOException e) {
                throw rememberFailure(e);
            }
            // The force covered at least everything handed over before it started.
            forcedBytes.accumulateAndGet(offset, Math::max);
        }
    }

    private IOException rememberFailure(IOException e) {
        forceFailure = e;
        return e;
    }

    private void throwIfForceFailed() throws IOException {
        if (forceFailure != null) {
            throw new IOException("an earlier force of " + path.getFileName() + " failed: "
                    + forceFailure.getMessage(), forceFailure);
        }
    }

    /** Forces everything and marks the segment finished: the writer moves on to a new one. Writer thread. */
    void seal() throws IOException {
        flush();
        synchronized (forceLock) {
            throwIfForceFailed();
            // Unconditionally: a sync thread's force may have covered an earlier offset only.
            try {
                channel.force(false);
            } catch (IOException e) {
                throw rememberFailure(e);
            }
            forcedBytes.accumulateAndGet(writtenBytes, Math::max);
            sealed = true;
        }
        pending = NO_BUFFER;
    }

    /** Reads and verifies the body (type and payload) of the record at {@code offset}. */
    ByteBuffer readBody(long offset) {
        try {
            ByteBuffer header = read(offset, WalCodec.FRAME_HEADER_BYTES);
            int bodyLength = header.getInt(0);
            if (bodyLength < 1 || bodyLength > maxRecordBytes) {
                throw corrupt(offset, "record length " + bodyLength + " out of range");
            }
            ByteBuffer frame = ByteBuffer.allocate(WalCodec.FRAME_HEADER_BYTES + bodyLength);
            frame.put(header).put(read(offset + WalCodec.FRAME_HEADER_BYTES, bodyLength)).flip();
            if (WalCodec.crc(frame, 0, bodyLength) != frame.getInt(4)) {
                throw corrupt(offset, "checksum mismatch");
            }
            return frame.position(WalCodec.FRAME_HEADER_BYTES);
        } catch (IOException e) {
            throw new StorageException("cannot read " + path + " at byte offset " + offset + ": " + e.getMessage(), e);
        }
    }

    private ByteBuffer read(long offset, int length) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(length);
        if (offset >= writtenBytes) {
            int from = (int) (offset - writtenBytes);
            if (from + length > pending.position()) {
                throw corrupt(offset, "record extends past the end of the segment");
            }
            out.put(pending.duplicate().position(from).limit(from + length));
        } else {
            while (out.hasRemaining()) {
                if (channel.read(out, offset + out.position()) < 0) {
                    throw corrupt(offset, "record extends past the end of the segment");
                }
            }
        }
        return out.flip();
    }

    private StorageException corrupt(long offset, String reason) {
        return new StorageException("corrupt WAL record in " + path + " at byte offset " + offset + ": " + reason);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
