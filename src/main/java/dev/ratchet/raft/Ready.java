package dev.ratchet.raft;

import java.util.List;

/**
 * A batch of work the core hands to the driver; immutable. The driver must handle one Ready in this order
 * and then call {@link RaftCore#advance(Ready)} before giving the core anything else:
 * <ol>
 *   <li>{@link #messages()} may be sent at once, even before anything is persisted: they are the leader's
 *       replication traffic, which does not acknowledge local writes (thesis §10.2.1).</li>
 *   <li>Persist {@link #snapshot()} (with {@link DurableStorage#installSnapshot}), then {@link #entries()},
 *       then {@link #hardState()}, then call {@link DurableStorage#sync()} once.</li>
 *   <li>Only after that sync send {@link #messagesAfterPersist()}: votes and acknowledgements that promise
 *       the writes above are durable.</li>
 *   <li>Restore the state machine from {@link #snapshot()} if present, then apply {@link #committedEntries()}
 *       in order. They may include entries of this very Ready, which must wait for the sync; those below
 *       the first of {@link #entries()} are durable already and may be applied before it, unless the Ready
 *       carries a snapshot. That holds because every earlier Ready was synced before {@link RaftCore#advance}
 *       let this one be taken; a driver that pipelines storage writes must keep its own durable index
 *       instead.</li>
 *   <li>Serve {@link #readStates()} once the applied index reaches each one's index.</li>
 * </ol>
 *
 * @param softState            new leader/role, or null if unchanged
 * @param hardState            term/vote/commit to persist, or null if unchanged
 * @param snapshot             a snapshot received from the leader to install, or null
 * @param entries              entries to append (may overwrite a conflicting suffix)
 * @param messages             messages that may go out before persisting
 * @param messagesAfterPersist messages that may go out only after the sync
 * @param committedEntries     entries to apply (see above for when)
 * @param readStates           ReadIndex results
 */
public record Ready(SoftState softState, HardState hardState, Snapshot snapshot, List<Entry> entries,
                   List<Message> messages, List<Message> messagesAfterPersist, List<Entry> committedEntries,
                   List<ReadState> readStates) {

    public Ready {
        entries = List.copyOf(entries);
        messages = List.copyOf(messages);
        messagesAfterPersist = List.copyOf(messagesAfterPersist);
        committedEntries = List.copyOf(committedEntries);
        readStates = List.copyOf(readStates);
    }

    /** True if the driver has something to write and sync before sending {@link #messagesAfterPersist()}. */
    public boolean mustPersist() {
        return hardState != null || snapshot != null || !entries.isEmpty();
    }
}
