package dev.ratchet.node;

import dev.ratchet.raft.Message;

/**
 * A follower's view of its leader's heartbeats (issue 14: "no heartbeat gap over 3 ticks while a snapshot is
 * taken"): the time between two consecutive messages that only a leader sends (appends, heartbeats, snapshot
 * chunks) from the same leader in the same term, as this node's loop steps them. A gap here is what the
 * follower's election timer sees, whatever caused it: a stalled leader loop, a GC pause on either side, or
 * the network. Not thread-safe: the driver thread only.
 */
final class LeaderContactClock {

    private String leader;
    private long term = -1;
    private long lastNanos;

    /**
     * Notes a message stepped at {@code nowNanos}.
     *
     * @return the gap since the previous message of the same leader and term, or -1 if this message is not a
     *         leader's or starts a new leader's contact
     */
    long stepped(Message message, long nowNanos) {
        if (!(message instanceof Message.AppendEntries || message instanceof Message.Heartbeat
                || message instanceof Message.InstallSnapshot)) {
            return -1;
        }
        long gap = message.term() == term && message.from().equals(leader) ? nowNanos - lastNanos : -1;
        leader = message.from();
        term = message.term();
        lastNanos = nowNanos;
        return gap;
    }
}
