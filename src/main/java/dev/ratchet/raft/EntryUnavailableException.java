package dev.ratchet.raft;

/** The requested index is beyond the last entry in storage. */
public class EntryUnavailableException extends RuntimeException {

    public EntryUnavailableException(long index, long lastIndex) {
        super("index " + index + " is beyond the last index " + lastIndex);
    }
}
