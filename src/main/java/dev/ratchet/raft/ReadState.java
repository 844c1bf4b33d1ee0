package dev.ratchet.raft;

/**
 * The answer to {@link RaftCore#readIndex(long)}: a read issued with {@code requestId} is linearizable once
 * the local state machine has applied {@code index}.
 */
public record ReadState(long requestId, long index) { }
