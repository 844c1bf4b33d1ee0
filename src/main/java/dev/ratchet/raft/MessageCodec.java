package dev.ratchet.raft;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A strict binary encoding of {@link Message}s for the transport: a version byte, a type byte, then the
 * fields in declaration order (longs big-endian, booleans as 0/1, strings as a length byte and UTF-8, byte
 * arrays and lists with a 4-byte count). Decoding checks every length against the bytes actually present
 * and against {@link #MAX_MESSAGE_BYTES}, so junk, truncated or oversized input fails with an
 * {@link IllegalArgumentException} and never allocates more than the input's size.
 *
 * <p>Stateless and thread-safe.
 */
public final class MessageCodec {

    public static final byte VERSION = 1;
    /** Largest encoded message accepted either way. */
    public static final int MAX_MESSAGE_BYTES = 64 << 20;
    /** Most members a snapshot's membership may list. */
    public static final int MAX_MEMBERS = 1024;

    private static final int PRE_VOTE = 1;
    private static final int PRE_VOTE_RESPONSE = 2;
    private static final int VOTE = 3;
    private static final int VOTE_RESPONSE = 4;
    private static final int APPEND = 5;
    private static final int APPEND_RESPONSE = 6;
    private static final int HEARTBEAT = 7;
    private static final int HEARTBEAT_RESPONSE = 8;
    private static final int SNAPSHOT = 9;
    private static final int SNAPSHOT_RESPONSE = 10;
    private static final int TIMEOUT_NOW = 11;
    /** Index, term, type and payload length of an encoded entry. */
    private static final int ENTRY_HEADER_BYTES = 8 + 8 + 1 + 4;

    private MessageCodec() {
    }

    /** @throws IllegalArgumentException if the encoding would exceed {@link #MAX_MESSAGE_BYTES} */
    public static byte[] encode(Message m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeByte(typeOf(m));
            writeString(out, m.from());
            writeString(out, m.to());
            out.writeLong(m.term());
            if (m instanceof Message.PreVote v) {
                out.writeLong(v.lastLogIndex());
                out.writeLong(v.lastLogTerm());
            } else if (m instanceof Message.PreVoteResponse v) {
                out.writeBoolean(v.granted());
            } else if (m instanceof Message.Vote v) {
                out.writeLong(v.lastLogIndex());
                out.writeLong(v.lastLogTerm());
                out.writeBoolean(v.leadershipTransfer());
            } else if (m instanceof Message.VoteResponse v) {
                out.writeBoolean(v.granted());
            } else if (m instanceof Message.AppendEntries a) {
                out.writeLong(a.prevLogIndex());
                out.writeLong(a.prevLogTerm());
                out.writeLong(a.leaderCommit());
                out.writeInt(a.entries().size());
                for (Entry e : a.entries()) {
                    out.writeLong(e.index());
                    out.writeLong(e.term());
                    out.writeByte(e.type().ordinal());
                    writeBytes(out, e.data());
                }
            } else if (m instanceof Message.AppendEntriesResponse a) {
                out.writeBoolean(a.success());
                out.writeLong(a.index());
                out.writeLong(a.rejectHintIndex());
                out.writeLong(a.rejectHintTerm());
            } else if (m instanceof Message.Heartbeat h) {
                out.writeLong(h.commit());
                out.writeLong(h.readContext());
            } else if (m instanceof Message.HeartbeatResponse h) {
                out.writeLong(h.readContext());
            } else if (m instanceof Message.InstallSnapshot s) {
                out.writeLong(s.metadata().index());
                out.writeLong(s.metadata().term());
                writeMembers(out, s.metadata().conf().voters());
                writeMembers(out, s.metadata().conf().learners());
                out.writeLong(s.offset());
                writeBytes(out, s.chunk());
                out.writeBoolean(s.done());
            } else if (m instanceof Message.InstallSnapshotResponse s) {
                out.writeLong(s.snapshotIndex());
                out.writeLong(s.nextOffset());
                out.writeBoolean(s.installed());
                out.writeLong(s.matchIndex());
            }
            // TimeoutNow has no fields beyond the header.
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.size() > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("encoded message has " + bytes.size() + " bytes, limit " + MAX_MESSAGE_BYTES);
        }
        return bytes.toByteArray();
    }

    private static int typeOf(Message m) {
        if (m instanceof Message.PreVote) {
            return PRE_VOTE;
        } else if (m instanceof Message.PreVoteResponse) {
            return PRE_VOTE_RESPONSE;
        } else if (m instanceof Message.Vote) {
            return VOTE;
        } else if (m instanceof Message.VoteResponse) {
            return VOTE_RESPONSE;
        } else if (m instanceof Message.AppendEntries) {
            return APPEND;
        } else if (m instanceof Message.AppendEntriesResponse) {
            return APPEND_RESPONSE;
        } else if (m instanceof Message.Heartbeat) {
            return HEARTBEAT;
        } else if (m instanceof Message.HeartbeatResponse) {
            return HEARTBEAT_RESPONSE;
        } else if (m instanceof Message.InstallSnapshot) {
            return SNAPSHOT;
        } else if (m instanceof Message.InstallSnapshotResponse) {
            return SNAPSHOT_RESPONSE;
        }
        return TIMEOUT_NOW;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length == 0 || b.length > ConfChange.MAX_NODE_ID_BYTES) {
            throw new IllegalArgumentException("node id must have 1.." + ConfChange.MAX_NODE_ID_BYTES + " bytes: '" + s + "'");
        }
        out.writeByte(b.length);
        out.write(b);
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static void writeMembers(DataOutputStream out, Set<String> ids) throws IOException {
        if (ids.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("too many members: " + ids.size());
        }
        out.writeShort(ids.size());
        for (String id : ids) {
            writeString(out, id);
        }
    }

    /**
     * Parses one message occupying all of {@code data}.
     *
     * @throws IllegalArgumentException on any malformed, truncated, trailing or oversized input
     */
    public static Message decode(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("no message bytes");
        }
        if (data.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message has " + data.length + " bytes, limit " + MAX_MESSAGE_BYTES);
        }
        Reader in = new Reader(ByteBuffer.wrap(data));
        int version = in.u8();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported message version " + version + ", expected " + VERSION);
        }
        int type = in.u8();
        String from = in.string();
        String to = in.string();
        long term = in.nonNegative("term");
        Message m = switch (type) {
            case PRE_VOTE -> new Message.PreVote(from, to, term, in.nonNegative("lastLogIndex"), in.nonNegative("lastLogTerm"));
            case PRE_VOTE_RESPONSE -> new Message.PreVoteResponse(from, to, term, in.bool());
            case VOTE -> new Message.Vote(from, to, term, in.nonNegative("lastLogIndex"), in.nonNegative("lastLogTerm"),
                    in.bool());
            case VOTE_RESPONSE -> new Message.VoteResponse(from, to, term, in.bool());
            case APPEND -> decodeAppend(in, from, to, term);
            case APPEND_RESPONSE -> new Message.AppendEntriesResponse(from, to, term, in.bool(), in.nonNegative("index"),
                    in.nonNegative("rejectHintIndex"), in.nonNegative("rejectHintTerm"));
            case HEARTBEAT -> new Message.Heartbeat(from, to, term, in.nonNegative("commit"), in.nonNegative("readContext"));
            case HEARTBEAT_RESPONSE -> new Message.HeartbeatResponse(from, to, term, in.nonNegative("readContext"));
            case SNAPSHOT -> decodeSnapshot(in, from, to, term);
            case SNAPSHOT_RESPONSE -> new Message.InstallSnapshotResponse(from, to, term, in.nonNegative("snapshotIndex"),
                    in.nonNegative("nextOffset"), in.bool(), in.nonNegative("matchIndex"));
            case TIMEOUT_NOW -> new Message.TimeoutNow(from, to, term);
            default -> throw new IllegalArgumentException("unknown message type " + type);
        };
        if (in.buf.hasRemaining()) {
            throw new IllegalArgumentException(in.buf.remaining() + " trailing bytes after message type " + type);
        }
        return m;
    }

    private static Message decodeAppend(Reader in, String from, String to, long term) {
        long prevIndex = in.nonNegative("prevLogIndex");
        long prevTerm = in.nonNegative("prevLogTerm");
        long commit = in.nonNegative("leaderCommit");
        int count = in.count(ENTRY_HEADER_BYTES);
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long index = in.nonNegative("entry index");
            long entryTerm = in.nonNegative("entry term");
            int t = in.u8();
            if (t >= EntryType.values().length) {
                throw new IllegalArgumentException("unknown entry type " + t);
            }
            Entry e = new Entry(index, entryTerm, EntryType.values()[t], in.bytes());
            if (e.index() != prevIndex + 1 + i) {
                throw new IllegalArgumentException("entry " + i + " has index " + e.index() + ", expected " + (prevIndex + 1 + i));
            }
            entries.add(e);
        }
        return new Message.AppendEntries(from, to, term, prevIndex, prevTerm, entries, commit);
    }

    private static Message decodeSnapshot(Reader in, String from, String to, long term) {
        long index = in.nonNegative("snapshot index");
        long snapTerm = in.nonNegative("snapshot term");
        Set<String> voters = in.members();
        Set<String> learners = in.members();
        SnapshotMetadata meta = new SnapshotMetadata(index, snapTerm, new ConfState(voters, learners));
        long offset = in.nonNegative("offset");
        byte[] chunk = in.bytes();
        return new Message.InstallSnapshot(from, to, term, meta, offset, chunk, in.bool());
    }

    /** Bounds-checked reads; every failure is an IllegalArgumentException naming what was wrong. */
    private static final class Reader {
        final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf;
        }

        private void need(int n, String what) {
            if (buf.remaining() < n) {
                throw new IllegalArgumentException("truncated message: " + what + " needs " + n + " bytes, "
                        + buf.remaining() + " left");
            }
        }

        int u8() {
            need(1, "byte");
            return buf.get() & 0xff;
        }

        boolean bool() {
            int b = u8();
            if (b > 1) {
                throw new IllegalArgumentException("boolean byte must be 0 or 1, was " + b);
            }
            return b == 1;
        }

        long nonNegative(String what) {
            need(8, what);
            long v = buf.getLong();
            if (v < 0) {
                throw new IllegalArgumentException(what + " must be >= 0, was " + v);
            }
            return v;
        }

        /** A 4-byte count of items of at least {@code minItemBytes} each that must fit in what is left. */
        int count(int minItemBytes) {
            need(4, "count");
            int n = buf.getInt();
            if (n < 0 || (long) n * minItemBytes > buf.remaining()) {
                throw new IllegalArgumentException("count " + n + " does not fit in the " + buf.remaining() + " bytes left");
            }
            return n;
        }

        byte[] bytes() {
            int n = count(1);
            byte[] b = new byte[n];
            buf.get(b);
            return b;
        }

        String string() {
            int n = u8();
            if (n == 0) {
                throw new IllegalArgumentException("empty node id");
            }
            need(n, "node id");
            ByteBuffer slice = buf.slice();
            slice.limit(n);
            buf.position(buf.position() + n);
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(slice).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("node id is not valid UTF-8", e);
            }
        }

        Set<String> members() {
            need(2, "member count");
            int n = buf.getShort() & 0xffff;
            if (n > MAX_MEMBERS || n * 2L > buf.remaining()) {
                throw new IllegalArgumentException("member count " + n + " is too large");
            }
            Set<String> ids = new LinkedHashSet<>();
            for (int i = 0; i < n; i++) {
                if (!ids.add(string())) {
                    throw new IllegalArgumentException("duplicate member id");
                }
            }
            return ids;
        }
    }
}
