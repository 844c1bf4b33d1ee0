package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The wire format round-trips every message and meets junk, truncation and corruption with IllegalArgumentException only. */
class MessageCodecPropertiesTest {

    @Property(tries = 500)
    void everyMessageRoundTrips(@ForAll("messages") Message m) {
        assertThat(MessageCodec.decode(MessageCodec.encode(m))).isEqualTo(m);
    }

    @Property(tries = 100)
    void everyTruncationIsRejected(@ForAll("messages") Message m) {
        byte[] wire = MessageCodec.encode(m);
        for (int len = 0; len < wire.length; len++) {
            byte[] prefix = Arrays.copyOf(wire, len);
            assertThatThrownBy(() -> MessageCodec.decode(prefix)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 300)
    void trailingBytesAreRejected(@ForAll("messages") Message m, @ForAll @Size(min = 1, max = 8) byte[] extra) {
        byte[] wire = MessageCodec.encode(m);
        byte[] longer = Arrays.copyOf(wire, wire.length + extra.length);
        System.arraycopy(extra, 0, longer, wire.length, extra.length);
        assertThatThrownBy(() -> MessageCodec.decode(longer)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void corruptedBytesDecodeOrFailCleanly(@ForAll("messages") Message m, @ForAll @IntRange(min = 0, max = 10_000) int pos,
                                           @ForAll byte value) {
        byte[] wire = MessageCodec.encode(m);
        wire[pos % wire.length] = value;
        decodeOrIllegalArgument(wire);
    }

    @Property(tries = 1000)
    void junkDecodesOrFailsCleanly(@ForAll @Size(max = 300) byte[] junk) {
        decodeOrIllegalArgument(junk);
    }

    @Property(tries = 500)
    void junkAfterAValidHeaderFailsCleanly(@ForAll @IntRange(min = 1, max = 11) int type, @ForAll @Size(max = 200) byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + 2 + 8 + body.length);
        b.put(MessageCodec.VERSION).put((byte) type).put((byte) 1).put((byte) 'a').put((byte) 1).put((byte) 'b')
                .putLong(3).put(body);
        decodeOrIllegalArgument(b.array());
    }

    private static void decodeOrIllegalArgument(byte[] bytes) {
        try {
            Message decoded = MessageCodec.decode(bytes);
            assertThat(MessageCodec.decode(MessageCodec.encode(decoded))).isEqualTo(decoded);
        } catch (IllegalArgumentException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Example
    void hugeCountsAreRejectedWithoutAllocating() {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put(MessageCodec.VERSION).put((byte) 5).put((byte) 1).put((byte) 'a').put((byte) 1).put((byte) 'b')
                .putLong(1).putLong(0).putLong(0).putLong(0).putInt(Integer.MAX_VALUE);
        byte[] wire = Arrays.copyOf(b.array(), b.position());
        assertThatThrownBy(() -> MessageCodec.decode(wire)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
        assertThatThrownBy(() -> MessageCodec.decode(new byte[MessageCodec.MAX_MESSAGE_BYTES + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
        assertThatThrownBy(() -> MessageCodec.decode(new byte[] {2, 1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version");
    }

    @Provide
    Arbitrary<Message> messages() {
        Arbitrary<String> ids = Arbitraries.strings().withCharRange('a', 'z').numeric().ofMinLength(1).ofMaxLength(12);
        Arbitrary<Long> nat = Arbitraries.longs().between(0, Long.MAX_VALUE);
        Arbitrary<Long> small = Arbitraries.longs().between(0, 1_000_000);
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        Arbitrary<Message> preVote = Combinators.combine(ids, ids, nat, nat, nat).as(Message.PreVote::new);
        Arbitrary<Message> preVoteResp = Combinators.combine(ids, ids, nat, bool).as(Message.PreVoteResponse::new);
        Arbitrary<Message> vote = Combinators.combine(ids, ids, nat, nat, nat, bool).as(Message.Vote::new);
        Arbitrary<Message> voteResp = Combinators.combine(ids, ids, nat, bool).as(Message.VoteResponse::new);
        Arbitrary<List<Entry>> entryShapes = Combinators.combine(small.map(t -> t + 1), Arbitraries.of(EntryType.class), bytes)
                .as((term, type, data) -> new Entry(1, term, type, data)).list().ofMaxSize(5);
        Arbitrary<Message> append = Combinators.combine(ids, ids, nat, small, small, entryShapes, nat)
                .as((from, to, term, prev, prevTerm, shapes, commit) -> {
                    List<Entry> entries = new ArrayList<>();
                    for (int i = 0; i < shapes.size(); i++) {
                        Entry e = shapes.get(i);
                        entries.add(new Entry(prev + 1 + i, e.term(), e.type(), e.data()));
                    }
                    return new Message.AppendEntries(from, to, term, prev, prevTerm, entries, commit);
                });
        Arbitrary<Message> appendResp = Combinators.combine(ids, ids, nat, bool, nat, nat, nat).as(Message.AppendEntriesResponse::new);
        Arbitrary<Message> heartbeat = Combinators.combine(ids, ids, nat, nat, nat).as(Message.Heartbeat::new);
        Arbitrary<Message> heartbeatResp = Combinators.combine(ids, ids, nat, nat).as(Message.HeartbeatResponse::new);
        Arbitrary<ConfState> confs = Combinators.combine(ids.set().ofMaxSize(5), ids.set().ofMaxSize(3))
                .as((v, l) -> {
                    l.removeAll(v);
                    return new ConfState(v, l);
                });
        Arbitrary<SnapshotMetadata> metas = Combinators.combine(nat, nat, confs).as(SnapshotMetadata::new);
        Arbitrary<Message> snapshot = Combinators.combine(ids, ids, nat, metas, small, bytes, bool).as(Message.InstallSnapshot::new);
        Arbitrary<Message> snapshotResp = Combinators.combine(ids, ids, nat, nat, nat, bool, nat).as(Message.InstallSnapshotResponse::new);
        Arbitrary<Message> timeoutNow = Combinators.combine(ids, ids, nat).as(Message.TimeoutNow::new);
        return Arbitraries.oneOf(preVote, preVoteResp, vote, voteResp, append, appendResp, heartbeat, heartbeatResp,
                snapshot, snapshotResp, timeoutNow);
    }
}
