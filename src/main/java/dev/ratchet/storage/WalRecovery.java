package dev.ratchet.storage;

import dev.ratchet.raft.StorageException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads every WAL segment on open, feeding valid records to a {@link WalReplay}. A bad record with
 * nothing valid after it is a write torn by a crash: the segment is truncated there (and logged). A bad
 * record followed by valid ones is corruption of acknowledged data: recovery stops with a
 * {@link StorageException} naming file and byte offset, and changes nothing.
 */
final class WalRecovery {

    /** A segment that survived recovery and the number of valid bytes in it. */
    record RecoveredSegment(long sequence, Path path, long validBytes, long headerLastIndex) {}

    private static final System.Logger LOG = System.getLogger(WalRecovery.class.getName());

    private final FileIo io;
    private final int maxRecordBytes;

    WalRecovery(FileIo io, int maxRecordBytes) {
        this.io = io;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Replays the segments in {@code dir} into {@code replay} and returns the segments to keep. */
    List<RecoveredSegment> recover(Path dir, WalReplay replay) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path path : io.list(dir)) {
            if (Segment.parseSequence(path.getFileName().toString()) >= 0) {
                files.add(path);
            }
        }
        List<RecoveredSegment> kept = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path path = files.get(i);
            long sequence = Segment.parseSequence(path.getFileName().toString());
            if (replay.nextSequence() >= 0 && sequence != replay.nextSequence()) {
                throw new StorageException("WAL segment " + Segment.fileName(replay.nextSequence())
                        + " is missing in " + dir + " (found " + path.getFileName() + ")");
            }
            long[] headerLastIndex = {0};
            long valid = scan(path, sequence, replay, files.subList(i + 1, files.size()), headerLastIndex);
            if (valid < 0) {
                for (Path later : files.subList(i + 1, files.size())) {
                    LOG.log(Level.WARNING, "deleting WAL segment {0} that follows a torn write", later);
                    io.deleteIfExists(later);
                }
                valid = -valid - 1;
                if (valid > 0) {
                    kept.add(new RecoveredSegment(sequence, path, valid, headerLastIndex[0]));
                } else {
                    io.deleteIfExists(path);
                }
                break;
            }
            kept.add(new RecoveredSegment(sequence, path, valid, headerLastIndex[0]));
        }
        return kept;
    }

    /**
     * Replays one segment. Returns the valid length, or {@code -(validLength + 1)} if the segment had a
     * torn tail that was truncated (so later segments must go too).
     */
    private long scan(Path path, long sequence, WalReplay replay, List<Path> laterFiles, long[] headerLastIndex)
            throws IOException {
        try (FileChannel channel = io.openReadWrite(path)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new StorageException("WAL segment " + path + " of " + size + " bytes is larger than 2 GiB");
            }
            ByteBuffer buffer = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            int offset = 0;
            if (size == 0 || allZero(buffer, 0)) {
                // Created by a roll-over whose header never reached the disk.
                if (laterSegmentHasRecords(laterFiles)) {
                    throw new StorageException("WAL segment " + path + " is empty but later segments are not");
                }
                LOG.log(Level.WARNING, "deleting empty WAL segment {0}", path);
                return -1;
            }
            while (offset < size) {
                String problem = frameProblem(buffer, offset);
                if (problem != null && allZero(buffer, offset)) {
                    return offset; // Preallocated space: the clean end of this segment.
                }
                if (problem != null) {
                    if (validFrameAfter(buffer, offset + 1) || laterSegmentHasRecords(laterFiles)) {
                        throw new StorageException("corrupt WAL record in " + path + " at byte offset " + offset
                                + ": " + problem + "; valid records follow, so this is not a torn write");
                    }
                    LOG.log(Level.WARNING, "truncating torn WAL tail of {0} at byte offset {1} ({2}, {3} bytes dropped)",
                            path, offset, problem, size - offset);
                    channel.truncate(offset);
                    channel.force(true);
                    return -(offset + 1L);
                }
                int bodyLength = buffer.getInt(offset);
                WalRecord record;
                try {
                    record = WalCodec.decode(buffer.slice(offset + WalCodec.FRAME_HEADER_BYTES, bodyLength));
                } catch (IllegalArgumentException e) {
                    throw new StorageException("undecodable WAL record with a valid checksum in " + path
                            + " at byte offset " + offset + ": " + e.getMessage(), e);
                }
                if (offset == 0 && (!(record instanceof WalRecord.SegmentHeader h) || h.sequence() != sequence)) {
                    throw new StorageException("WAL segment " + path + " does not start with its own header");
                }
                if (offset == 0) {
                    headerLastIndex[0] = ((WalRecord.SegmentHeader) record).lastIndex();
                }
                replay.accept(record, Segment.pack(sequence, offset), path, offset);
                offset += WalCodec.FRAME_HEADER_BYTES + bodyLength;
            }
            return size;
        }
    }

    /** Why the frame at {@code offset} is not a valid record, or null if it is. */
    private String frameProblem(ByteBuffer buffer, int offset) {
        int remaining = buffer.limit() - offset;
        if (remaining < WalCodec.FRAME_HEADER_BYTES) {
            return "partial frame header";
        }
        int bodyLength = buffer.getInt(offset);
        if (bodyLength < 1 || bodyLength > maxRecordBytes) {
            return "record length " + bodyLength + " out of range";
        }
        if (bodyLength > remaining - WalCodec.FRAME_HEADER_BYTES) {
            return "record of " + bodyLength + " bytes cut short";
        }
        if (WalCodec.crc(buffer, offset, bodyLength) != buffer.getInt(offset + 4)) {
            return "checksum mismatch";
        }
        return null;
    }

    private static boolean allZero(ByteBuffer buffer, int from) {
        int offset = from;
        for (; offset + 8 <= buffer.limit(); offset += 8) {
            if (buffer.getLong(offset) != 0) {
                return false;
            }
        }
        for (; offset < buffer.limit(); offset++) {
            if (buffer.get(offset) != 0) {
                return false;
            }
        }
        return true;
    }

    private boolean validFrameAfter(ByteBuffer buffer, int from) {
        for (int offset = from; offset + WalCodec.FRAME_HEADER_BYTES < buffer.limit(); offset++) {
            if (frameProblem(buffer, offset) == null) {
                return true;
            }
        }
        return false;
    }

    private boolean laterSegmentHasRecords(List<Path> laterFiles) throws IOException {
        for (Path later : laterFiles) {
            try (FileChannel channel = io.openRead(later)) {
                long size = Math.min(channel.size(), (long) maxRecordBytes + WalCodec.FRAME_HEADER_BYTES);
                if (size > 0 && frameProblem(channel.map(FileChannel.MapMode.READ_ONLY, 0, size), 0) == null) {
                    return true;
                }
            }
        }
        return false;
    }
}
