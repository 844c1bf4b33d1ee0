package dev.ratchet.node;

/** Request types carried over the peer transport, beside one-way Raft messages. */
public final class PeerRequestTypes {

    /** A follower asks the leader to propose a command. Payload: an encoded Proposal. */
    public static final int FORWARD_PROPOSAL = 1;
    /** A follower asks the leader for a confirmed read index. Payload: empty; answer: 8-byte index. */
    public static final int READ_INDEX = 2;
    /** A member asks the leader for a membership change. Payload: an encoded ConfChange; answer: 8-byte index. */
    public static final int FORWARD_CONF_CHANGE = 3;
    /** A member asks the leader to hand leadership over. Payload: UTF-8 target id (empty: any); answer: new leader. */
    public static final int FORWARD_TRANSFER = 4;
    /**
     * A member asks the leader to admit a joiner that proved the join token. Payload: the joiner's member
     * fields and Raft id; answer: a verdict byte and a message (see {@code NodeAdmission}).
     */
    public static final int ADMIT = 5;
    /**
     * A follower asks the leader to propose a batch of commands in one go. Payload and answer: see
     * {@code ForwardBatchCodec} (versioned; one outcome per proposal).
     */
    public static final int FORWARD_PROPOSALS = 6;
    /**
     * A node measures its round trip to a peer ({@code PeerRoundTrips}). Payload and answer: empty. A
     * peer too old to know the type answers with an error, which is not counted as a round trip.
     */
    public static final int PING = 7;
    /** A node fetches an artifact blob by etag, as a stream of chunks. */
    public static final int FETCH_BLOB = 10;

    private PeerRequestTypes() {
    }
}
