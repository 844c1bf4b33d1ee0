package dev.ratchet.raft;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Every message Raft nodes exchange. Each carries the sender, the recipient and the sender's term
 * (for {@link PreVote} the term the sender would campaign in). The set is closed so that the core and
 * the {@link MessageCodec} handle every kind exhaustively.
 */
public sealed interface Message {

    String from();

    String to();

    long term();

    /** Asks whether the recipient would vote for the sender in {@code term}, without changing any state (thesis §9.6). */
    record PreVote(String from, String to, long term, long lastLogIndex, long lastLogTerm) implements Message { }

    /** Answer to {@link PreVote}; {@code term} is the asked term when granted, the recipient's term otherwise. */
    record PreVoteResponse(String from, String to, long term, boolean granted) implements Message { }

    /** RequestVote (§5.2); {@code leadershipTransfer} lets it through the recipients' leader lease (§3.10). */
    record Vote(String from, String to, long term, long lastLogIndex, long lastLogTerm, boolean leadershipTransfer)
            implements Message { }

    /** Answer to {@link Vote}. */
    record VoteResponse(String from, String to, long term, boolean granted) implements Message { }

    /** AppendEntries (§5.3). Entries are consecutive and start at {@code prevLogIndex + 1}. */
    record AppendEntries(String from, String to, long term, long prevLogIndex, long prevLogTerm, List<Entry> entries,
                         long leaderCommit) implements Message {
        public AppendEntries {
            entries = List.copyOf(entries);
        }
    }

    /**
     * Answer to {@link AppendEntries}. On success {@code index} is the last index now known to match the
     * leader; on rejection it is the rejected {@code prevLogIndex} and the hint names the follower's last
     * entry at or below it whose term is at most the leader's {@code prevLogTerm}, so the leader can skip a
     * whole conflicting term per round trip.
     */
    record AppendEntriesResponse(String from, String to, long term, boolean success, long index, long rejectHintIndex,
                                 long rejectHintTerm) implements Message { }

    /** Leader heartbeat; {@code commit} never exceeds the recipient's known match; {@code readContext} 0 means none. */
    record Heartbeat(String from, String to, long term, long commit, long readContext) implements Message { }

    /** Answer to {@link Heartbeat}, echoing its read context. */
    record HeartbeatResponse(String from, String to, long term, long readContext) implements Message { }

    /** One chunk of the leader's snapshot: bytes {@code [offset, offset + chunk.length)}; {@code done} on the last. */
    record InstallSnapshot(String from, String to, long term, SnapshotMetadata metadata, long offset, byte[] chunk,
                           boolean done) implements Message {
        public InstallSnapshot {
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(chunk, "chunk");
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InstallSnapshot s && from.equals(s.from) && to.equals(s.to) && term == s.term
                    && metadata.equals(s.metadata) && offset == s.offset && Arrays.equals(chunk, s.chunk) && done == s.done;
        }

        @Override
        public int hashCode() {
            return Objects.hash(from, to, term, metadata, offset, done) * 31 + Arrays.hashCode(chunk);
        }

        @Override
        public String toString() {
            return "InstallSnapshot[" + from + "->" + to + " t" + term + " " + metadata + " off=" + offset + " "
                    + chunk.length + "B done=" + done + "]";
        }
    }

    /**
     * Answer to {@link InstallSnapshot}. While chunks are missing {@code nextOffset} is the next byte wanted;
     * once {@code installed}, {@code matchIndex} is the index the recipient's log now matches up to.
     */
    record InstallSnapshotResponse(String from, String to, long term, long snapshotIndex, long nextOffset,
                                   boolean installed, long matchIndex) implements Message { }

    /** Tells the recipient to campaign at once, skipping pre-vote (leadership transfer, thesis §3.10). */
    record TimeoutNow(String from, String to, long term) implements Message { }
}
