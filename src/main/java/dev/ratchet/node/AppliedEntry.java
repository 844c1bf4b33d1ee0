package dev.ratchet.node;

import dev.ratchet.state.CommandResult;

/** What a proposal became once applied: its log index and the state machine's result. */
public record AppliedEntry(long index, CommandResult result) {
}
