package dev.ratchet.storage;

import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.HardState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The byte layout of WAL records. A frame is {@code [length:int][crc32c:int][type:byte][payload]} where
 * length counts type and payload, and the CRC32C covers the length field and the body, so a flipped bit
 * anywhere in a record is detected.
 */
final class WalCodec {

    static final int FRAME_HEADER_BYTES = 8;
    static final int MAX_VOTE_BYTES = 1024;

    private static final byte HEADER = 1;
    private static final byte ENTRY = 2;
    private static final byte HARD_STATE = 3;
    private static final byte TRUNCATE = 4;
    private static final byte SNAPSHOT = 5;
    private static final int SEGMENT_MAGIC = 0x5257414C; // "RWAL"
    private static final byte FORMAT_VERSION = 1;
    private static final EntryType[] ENTRY_TYPES = EntryType.values();

    private WalCodec() {}

    /** Size of the framed record. */
    static int frameSize(WalRecord record) {
        return FRAME_HEADER_BYTES + 1 + payloadSize(record);
    }

    /** Writes the framed record at the buffer's position, which must have {@link #frameSize} bytes left. */
    static void encode(WalRecord record, ByteBuffer out) {
        int start = out.position();
        int bodyLength = 1 + payloadSize(record);
        out.putInt(bodyLength).putInt(0);
        if (record instanceof WalRecord.SegmentHeader h) {
            out.put(HEADER).putInt(SEGMENT_MAGIC).put(FORMAT_VERSION).putLong(h.sequence())
                    .putLong(h.snapshotIndex()).putLong(h.snapshotTerm()).putLong(h.lastIndex());
            putHardState(h.hardState(), out);
        } else if (record instanceof WalRecord.EntryRecord e) {
            out.put(ENTRY).putLong(e.entry().index()).putLong(e.entry().term())
                    .put((byte) e.entry().type().ordinal()).put(e.entry().data());
        } else if (record instanceof WalRecord.HardStateRecord hs) {
            out.put(HARD_STATE);
            putHardState(hs.hardState(), out);
        } else if (record instanceof WalRecord.TruncateRecord t) {
            out.put(TRUNCATE).putLong(t.fromIndex());
        } else if (record instanceof WalRecord.SnapshotMarker s) {
            out.put(SNAPSHOT).putLong(s.index()).putLong(s.term()).put((byte) (s.keepSuffix() ? 1 : 0));
        }
        out.putInt(start + 4, crc(out, start, bodyLength));
    }

    /** The CRC32C a frame starting at {@code start} must carry. */
    static int crc(ByteBuffer frame, int start, int bodyLength) {
        CRC32C crc = new CRC32C();
        crc.update(frame.slice(start, 4));
        crc.update(frame.slice(start + FRAME_HEADER_BYTES, bodyLength));
        return (int) crc.getValue();
    }

    /**
     * Decodes a body (type and payload) whose checksum was already verified.
     *
     * @throws IllegalArgumentException if the body is malformed
     */
    static WalRecord decode(ByteBuffer body) {
        try {
            byte type = body.get();
            WalRecord record = switch (type) {
                case HEADER -> {
                    int magic = body.getInt();
                    byte version = body.get();
                    if (magic != SEGMENT_MAGIC || version != FORMAT_VERSION) {
                        throw new IllegalArgumentException("not a Ratchet WAL segment of version " + FORMAT_VERSION);
                    }
                    yield new WalRecord.SegmentHeader(body.getLong(), body.getLong(), body.getLong(), body.getLong(),
                            getHardState(body));
                }
                case ENTRY -> {
                    long index = body.getLong();
                    long term = body.getLong();
                    int entryType = body.get();
                    if (entryType < 0 || entryType >= ENTRY_TYPES.length) {
                        throw new IllegalArgumentException("unknown entry type " + entryType);
                    }
                    byte[] data = new byte[body.remaining()];
                    body.get(data);
                    yield new WalRecord.EntryRecord(new Entry(index, term, ENTRY_TYPES[entryType], data));
                }
                case HARD_STATE -> new WalRecord.HardStateRecord(getHardState(body));
                case TRUNCATE -> new WalRecord.TruncateRecord(body.getLong());
                case SNAPSHOT -> new WalRecord.SnapshotMarker(body.getLong(), body.getLong(), body.get() != 0);
                default -> throw new IllegalArgumentException("unknown record type " + type);
            };
            if (body.hasRemaining()) {
                throw new IllegalArgumentException(body.remaining() + " unexpected trailing bytes");
            }
            return record;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("record body too short", e);
        }
    }

    /** The vote encoded for the WAL; rejects votes that could not be read back. */
    static byte[] voteBytes(String votedFor) {
        if (votedFor == null) {
            return null;
        }
        byte[] bytes = votedFor.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_VOTE_BYTES) {
            throw new IllegalArgumentException("votedFor longer than " + MAX_VOTE_BYTES + " bytes");
        }
        return bytes;
    }

    private static int payloadSize(WalRecord record) {
        if (record instanceof WalRecord.SegmentHeader h) {
            return 4 + 1 + 8 * 4 + hardStateSize(h.hardState());
        } else if (record instanceof WalRecord.EntryRecord e) {
            return 8 + 8 + 1 + e.entry().data().length;
        } else if (record instanceof WalRecord.HardStateRecord hs) {
            return hardStateSize(hs.hardState());
        } else if (record instanceof WalRecord.TruncateRecord) {
            return 8;
        } else if (record instanceof WalRecord.SnapshotMarker) {
            return 8 + 8 + 1;
        }
        throw new IllegalStateException("unknown record " + record);
    }

    private static int hardStateSize(HardState hs) {
        byte[] vote = voteBytes(hs.votedFor());
        return 8 + 8 + 2 + (vote == null ? 0 : vote.length);
    }

    private static void putHardState(HardState hs, ByteBuffer out) {
        out.putLong(hs.term()).putLong(hs.commit());
        byte[] vote = voteBytes(hs.votedFor());
        if (vote == null) {
            out.putShort((short) -1);
        } else {
            out.putShort((short) vote.length).put(vote);
        }
    }

    private static HardState getHardState(ByteBuffer in) {
        long term = in.getLong();
        long commit = in.getLong();
        int voteLength = in.getShort();
        if (voteLength < -1 || voteLength > MAX_VOTE_BYTES) {
            throw new IllegalArgumentException("vote length " + voteLength + " out of range");
        }
        String vote = null;
        if (voteLength >= 0) {
            byte[] bytes = new byte[voteLength];
            in.get(bytes);
            vote = new String(bytes, StandardCharsets.UTF_8);
        }
        return new HardState(term, vote, commit);
    }
}
