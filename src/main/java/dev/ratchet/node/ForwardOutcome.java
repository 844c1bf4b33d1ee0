package dev.ratchet.node;

import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.ProposalDroppedException;
import dev.ratchet.state.CommandResultCodec;

/**
 * What became of one proposal of a forwarded batch on the leader: applied there (with its encoded
 * {@link CommandResultCodec} result), or refused or failed for a reason the follower can act on.
 */
sealed interface ForwardOutcome {

    /** Why a forwarded proposal failed; the wire code is the byte in {@link ForwardBatchCodec}'s answer. */
    enum Failure {
        /** The receiver does not lead (any more); detail: the leader it knows, or empty. Nothing was proposed. */
        NOT_LEADER(1),
        /** The entry's slot went to another leader's entry: it was not applied. Safe to retry. */
        LOST(2),
        /** The leader refused to propose now (too many uncommitted entries, a transfer under way). */
        DROPPED(3),
        /** The leader's node cannot take part (storage failed, shutting down). */
        UNAVAILABLE(4),
        /** Anything else: the proposal may or may not have been applied. */
        UNKNOWN(5);

        final byte code;

        Failure(int code) {
            this.code = (byte) code;
        }

        static Failure fromCode(byte code) {
            for (Failure f : values()) {
                if (f.code == code) {
                    return f;
                }
            }
            return null;
        }
    }

    /** Applied on the leader; {@code result} is {@link CommandResultCodec#encode}'s output. */
    record Applied(byte[] result) implements ForwardOutcome {
    }

    /** Not applied, or not known to be; {@code detail} is human-readable (for NOT_LEADER: the leader's id). */
    record Failed(Failure failure, String detail) implements ForwardOutcome {

        /** The exception a caller on the follower sees, which {@link ClusterNode} translates for the API. */
        RuntimeException toException(String leaderId) {
            return switch (failure) {
                case NOT_LEADER -> new NotLeaderException(leaderId, detail.isEmpty() ? null : detail);
                case LOST -> new ProposalLostException(detail);
                case DROPPED -> new ProposalDroppedException(detail);
                case UNAVAILABLE -> new NodeUnavailableException("the leader " + leaderId + " cannot serve: " + detail);
                case UNKNOWN -> new OutcomeUnknownException("the leader " + leaderId + " failed the write ("
                        + detail + "); it may or may not have been applied");
            };
        }

        /** The outcome a leader reports for a proposal that failed with {@code cause}. */
        static Failed of(Throwable cause) {
            if (cause instanceof NotLeaderException nle) {
                return new Failed(Failure.NOT_LEADER, nle.leaderHint() == null ? "" : nle.leaderHint());
            }
            if (cause instanceof ProposalLostException) {
                return new Failed(Failure.LOST, cause.getMessage());
            }
            if (cause instanceof ProposalDroppedException) {
                return new Failed(Failure.DROPPED, cause.getMessage());
            }
            if (cause instanceof NodeUnavailableException && !(cause instanceof RaftDriver.TransferAbandonedException)) {
                return new Failed(Failure.UNAVAILABLE, cause.getMessage());
            }
            return new Failed(Failure.UNKNOWN, cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
    }
}
