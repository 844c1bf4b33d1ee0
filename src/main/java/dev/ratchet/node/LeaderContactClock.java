package dev.ratchet.node;

import dev.ratchet.raft.Message;

/**
 * A follower's view of its leader's heartbeats (issue 14: "no heartbeat gap over 3 ticks while a snapshot is
 * taken"): the time between two consecutive messages that only a leader sends (appends, heartbeats, snapshot
 * chunks), as this node's loop steps them. A gap that ends with a new leader's first message, or a new term's,
 * is the time without a leader, election included. Messages of an older term than the last one seen (a
 * deposed leader's) are ignored. A gap here is what the follower's election timer sees, whatever caused it: a
 * stalled leader loop, a stall of this node's own loop, a GC pause on either side, or the network. Not
 * thread-safe: the driver thread only.
 */
final class LeaderContactClock {

    private long term = -1;
    private long lastNanos;

    /**
     * Notes a message stepped at {@code nowNanos}.
     *
     * @return the time since the previous leader's message, or -1 if this message is not a current leader's or
     *         is the first one seen
     */
    long stepped(Message message, long nowNanos) {
        if (!(message instanceof Message.AppendEntries || message instanceof Message.Heartbeat
                || message instanceof Message.InstallSnapshot) || message.term() < term) {
            return -1;
        }
        long gap = term >= 0 ? nowNanos - lastNanos : -1;
        term = message.term();
        lastNanos = nowNanos;
        return gap;
    }
}
