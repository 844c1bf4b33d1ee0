package dev.ratchet.raft;

import java.util.List;

/**
 * A batch of work the core hands to the driver; immutable. The driver must handle one Ready in this order
 * and then advance the core before giving it anything else:
 * <ol>
 *   <li>{@link #messages()} may be sent at once, even before anything is persisted: they are the leader's
 *       replication traffic, which does not acknowledge local writes (thesis §10.2.1).</li>
 *   <li>Write {@link #snapshot()} (with {@link DurableStorage#installSnapshot}), then {@link #entries()},
 *       then {@link #hardState()}, and start one sync covering them (group commit).</li>
 *   <li>Only once that sync completed send {@link #messagesAfterPersist()}: votes and acknowledgements that
 *       promise the writes above (and any earlier ones) are durable.</li>
 *   <li>Restore the state machine from {@link #snapshot()} if present, then apply {@link #committedEntries()}
 *       in order. They are committed, so durable on a quorum: they may be applied before this node's own
 *       sync completes.</li>
 *   <li>Serve {@link #readStates()} once the applied index reaches each one's index.</li>
 *   <li>Advance: {@link RaftCore#advance(Ready)} if the sync completed already, otherwise
 *       {@link RaftCore#advanceWritten(Ready)} now and {@link RaftCore#persisted} once it completes (the
 *       leader counts its own copy of the entries only then). A Ready with a snapshot must be synced before
 *       it is advanced. The driver also syncs one that changes the term or the vote before advancing it. The
 *       core counts its own vote already when it campaigns, before any Ready; that is safe because nothing
 *       that depends on the vote leaves before the sync (the vote requests are in
 *       {@link #messagesAfterPersist()}), and syncing at once keeps term and vote durable before the core acts
 *       on them in any other way, so no argument about which of its actions depend on them is needed.</li>
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
