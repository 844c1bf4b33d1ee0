package dev.ratchet.raft;

/** What a log entry carries. */
public enum EntryType {
    /** Appended by a new leader at the start of its term so that earlier entries can commit. No payload. */
    NOOP,
    /** An opaque command for the replicated state machine. */
    COMMAND,
    /** A membership change, encoded by {@link ConfChange}. */
    CONF_CHANGE
}
