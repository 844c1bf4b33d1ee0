package dev.ratchet.raft;

/** Volatile state worth reporting when it changes; never persisted. {@code leader} is null when unknown. */
public record SoftState(String leader, Role role) { }
