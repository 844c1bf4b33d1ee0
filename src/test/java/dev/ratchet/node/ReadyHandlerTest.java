package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.DurableStorage;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.MemoryStorage;
import dev.ratchet.raft.Message;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.StorageException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The order {@link ReadyHandler} imposes on Readies (the contract of {@link dev.ratchet.raft.Ready}),
 * observed on a real core: writes, then a sync, and only then the messages that promise them; the leader's
 * replication traffic before its own sync; a vote synced before the core acts on it; and, with pipelined
 * syncs (issue 14), committed entries applied and a quorum of followers committing while the leader's own
 * sync is still in flight.
 */
class ReadyHandlerTest {

    /** Everything the handler did, in order. */
    private final List<String> events = new ArrayList<>();
    private final List<Entry> applied = new ArrayList<>();

    /** A storage that records each write and sync into {@link #events}. */
    private final class RecordingStorage implements DurableStorage {
        final MemoryStorage inner = new MemoryStorage();

        @Override public void append(List<Entry> entries) {
            events.add("append " + entries.size());
            inner.append(entries);
        }

        @Override public void setHardState(HardState hardState) {
            events.add("hardState t" + hardState.term());
            inner.setHardState(hardState);
        }

        @Override public void installSnapshot(Snapshot snapshot) {
            events.add("installSnapshot");
            inner.installSnapshot(snapshot);
        }

        @Override public void saveLocalSnapshot(Snapshot snapshot) {
            events.add("saveLocalSnapshot " + snapshot.metadata().index());
            inner.saveLocalSnapshot(snapshot);
        }

        /** Syncs started and not forced yet make {@link #force} record which one it was. */
        int started;
        /** While set, every force fails (an fsync error); the disk may answer the next one again. */
        boolean failForces;

        @Override public PendingSync startSync() {
            int number = ++started;
            events.add("startSync " + number);
            return new PendingSync() {
                boolean forced;
                boolean failed;

                @Override public void force() {
                    forced = true;
                    failed = failForces;
                    events.add((failed ? "failed sync " : "sync ") + number);
                }

                @Override public boolean failed() {
                    return failed;
                }

                @Override public String toString() {
                    return "sync " + number + (forced ? " (forced)" : "");
                }
            };
        }

        @Override public void finishSync(PendingSync pending) {
            events.add("finish " + pending);
            if (pending.failed()) {
                throw new StorageException("sync failed");
            }
        }

        @Override public void close() {
            inner.close();
        }

        @Override public HardState hardState() {
            return inner.hardState();
        }

        @Override public ConfState confState() {
            return inner.confState();
        }

        @Override public List<Entry> entries(long lo, long hi, long maxBytes) {
            return inner.entries(lo, hi, maxBytes);
        }

        @Override public long term(long index) {
            return inner.term(index);
        }

        @Override public long firstIndex() {
            return inner.firstIndex();
        }

        @Override public long lastIndex() {
            return inner.lastIndex();
        }

        @Override public Snapshot snapshot() {
            return inner.snapshot();
        }
    }

    private final ReadyHandler.Application app = new ReadyHandler.Application() {
        @Override public void restore(Snapshot snapshot) {
            events.add("restore");
        }

        @Override public void apply(Entry entry) {
            events.add("apply " + entry.index());
            applied.add(entry);
        }

        @Override public java.util.function.Supplier<byte[]> captureState() {
            byte[] image = new byte[stateBytes];
            image[0] = 42;
            return () -> image;
        }
    };

    /** The size of the state image the application captures. */
    private int stateBytes = 1;
    private final RecordingStorage storage = new RecordingStorage();
    private RaftCore core;
    private ReadyHandler handler;

    private void start(List<String> voters) {
        RaftCore.bootstrap(storage.inner, voters);
        core = new RaftCore(RaftConfig.defaults("n1"), storage, new SplittableRandom(1));
        handler = new ReadyHandler(core, storage, m -> events.add("send " + m.getClass().getSimpleName()), app);
    }

    private void drain() {
        while (core.hasReady()) {
            handler.handle(core.ready());
        }
    }

    private void tickUntil(Role role) {
        for (int i = 0; i < 100 && core.role() != role; i++) {
            core.tick();
            drain();
        }
        assertThat(core.role()).isEqualTo(role);
    }

    @Test
    void votesLeaveOnlyAfterTheTermAndVoteAreSyncedAndTheLeadersAppendsBeforeItsOwnSync() {
        start(List.of("n1", "n2", "n3"));
        drain();
        tickUntil(Role.PRE_CANDIDATE);
        core.step(new Message.PreVoteResponse("n2", "n1", core.term() + 1, true));
        events.clear();
        drain();
        assertThat(events).containsSubsequence("hardState t2", "sync 1", "send Vote");

        core.step(new Message.VoteResponse("n2", "n1", core.term(), true));
        events.clear();
        drain();
        assertThat(core.role()).isEqualTo(Role.LEADER);
        // Replication traffic does not acknowledge local writes: it goes out before them (thesis §10.2.1).
        assertThat(events).containsSubsequence("send AppendEntries", "append 1", "sync " + storage.started);
    }

    @Test
    void committedEntriesAreAppliedInOrderAndALocalSnapshotCoversThem() {
        start(List.of("n1"));
        drain();
        tickUntil(Role.LEADER);
        core.propose(new byte[] {1});
        drain();
        assertThat(applied).extracting(Entry::index).containsExactly(1L, 2L, 3L);
        assertThat(handler.appliedIndex()).isEqualTo(3);
        assertThat(handler.snapshotIfDue(10, false)).isNull();
        Snapshot snapshot = handler.snapshotIfDue(10, true);
        assertThat(snapshot.metadata().index()).isEqualTo(3);
        assertThat(snapshot.metadata().conf().voters()).containsExactly("n1");
        assertThat(storage.snapshot().metadata().index()).isEqualTo(3);
        assertThat(handler.snapshotIfDue(1, true)).as("nothing applied since").isNull();
    }

    /**
     * Issue 14: a large state is not encoded again after every few small writes. The next snapshot waits for an
     * eighth of the last one's size in log, times this node's stagger (1 to 2).
     */
    @Test
    void aSnapshotWaitsForTheLogToGrowByAnEighthOfTheLastOne() {
        start(List.of("n1"));
        drain();
        tickUntil(Role.LEADER);
        stateBytes = 800;
        core.propose(new byte[10]);
        drain();
        assertThat(handler.snapshotIfDue(1, true)).as("asked for").isNotNull();
        int logBytes = 0;
        Snapshot next = null;
        while (next == null && logBytes < 1000) {
            core.propose(new byte[10]);
            drain();
            logBytes += 10;
            next = handler.snapshotIfDue(1, false);
        }
        assertThat(logBytes).as("log bytes when the next snapshot was taken").isBetween(100, 200);
        assertThat(next.metadata().index()).isEqualTo(handler.appliedIndex());
    }

    /**
     * Issue 14: the leader's own unsynced copy does not count, but two followers form a quorum without it. The
     * entry commits and is applied while the leader's sync is still in flight; reporting that sync later
     * changes nothing.
     */
    @Test
    void twoFollowersCommitAnEntryWhileTheLeadersOwnSyncIsInFlight() {
        leadAThreeNodeCluster();
        long index = core.propose(new byte[] {1});
        var pending = handler.submit(core.ready());
        assertThat(pending).as("a sync is left to the caller").isNotNull();
        core.step(new Message.AppendEntriesResponse("n2", "n1", core.term(), true, index, 0, 0));
        drainWithoutSyncing();
        assertThat(core.commitIndex()).as("n2 alone and an unsynced leader are no quorum").isLessThan(index);
        core.step(new Message.AppendEntriesResponse("n3", "n1", core.term(), true, index, 0, 0));
        drainWithoutSyncing();
        assertThat(core.commitIndex()).isEqualTo(index);
        assertThat(applied).extracting(Entry::index).contains(index);
        assertThat(events).doesNotContain("sync " + storage.started);
        handler.synced(pending);
        assertThat(core.commitIndex()).isEqualTo(index);
    }

    /** One follower plus the leader's synced copy is a quorum: the leader's sync report commits the entry. */
    @Test
    void theLeadersSyncCountsOnceReported() {
        leadAThreeNodeCluster();
        long index = core.propose(new byte[] {1});
        var pending = handler.submit(core.ready());
        core.step(new Message.AppendEntriesResponse("n2", "n1", core.term(), true, index, 0, 0));
        drainWithoutSyncing();
        assertThat(core.commitIndex()).isLessThan(index);
        pending.force();
        handler.synced(pending);
        drainWithoutSyncing();
        assertThat(core.commitIndex()).isEqualTo(index);
        assertThat(applied).extracting(Entry::index).contains(index);
    }

    /** A single voter has only its own disk: nothing commits before the sync is reported. */
    @Test
    void aSingleVoterCommitsOnlyWhenItsSyncIsReported() {
        start(List.of("n1"));
        drain();
        tickUntil(Role.LEADER);
        long index = core.propose(new byte[] {1});
        var pending = handler.submit(core.ready());
        drainWithoutSyncing();
        assertThat(core.commitIndex()).isLessThan(index);
        pending.force();
        handler.synced(pending);
        drain();
        assertThat(core.commitIndex()).isEqualTo(index);
        assertThat(applied).extracting(Entry::index).contains(index);
    }

    /**
     * A follower's acknowledgements leave only after the sync covering them; a later sync covers earlier ones
     * (their acknowledgements go first), and a Ready that writes nothing but answers waits for the newest sync.
     * An entry whose commit arrives with it is applied at once: committed means durable on a quorum.
     */
    @Test
    void followerAcknowledgementsWaitForTheSyncThatCoversThem() {
        start(List.of("n1", "n2", "n3"));
        drain();
        long last = storage.lastIndex();
        long term = core.term() + 1;
        Entry first = new Entry(last + 1, term, dev.ratchet.raft.EntryType.COMMAND, new byte[] {7});
        core.step(new Message.AppendEntries("n2", "n1", term, last, storage.term(last), List.of(first), last));
        drain(); // the new term is a barrier, synced at once
        events.clear();
        Entry second = new Entry(last + 2, term, dev.ratchet.raft.EntryType.COMMAND, new byte[] {8});
        core.step(new Message.AppendEntries("n2", "n1", term, last + 1, term, List.of(second), last + 2));
        var pendingSecond = handler.submit(core.ready());
        assertThat(events).contains("apply " + (last + 2)).doesNotContain("send AppendEntriesResponse");
        // A retransmission of the same entry: nothing to write, but its answer claims the entry is on disk.
        core.step(new Message.AppendEntries("n2", "n1", term, last + 1, term, List.of(second), last + 2));
        assertThat(handler.submit(core.ready())).isNull();
        assertThat(events).doesNotContain("send AppendEntriesResponse");
        Entry third = new Entry(last + 3, term, dev.ratchet.raft.EntryType.COMMAND, new byte[] {9});
        core.step(new Message.AppendEntries("n2", "n1", term, last + 2, term, List.of(third), last + 2));
        var pendingThird = handler.submit(core.ready());
        pendingThird.force();
        handler.synced(pendingThird);
        assertThat(events.stream().filter(e -> e.equals("send AppendEntriesResponse")).count()).isEqualTo(3);
        assertThat(events.indexOf("send AppendEntriesResponse"))
                .isGreaterThan(events.indexOf("sync " + storage.started));
        int sent = events.size();
        handler.synced(pendingSecond);
        assertThat(events).as("covered already").hasSize(sent);
        assertThat(handler.syncsInFlight()).isZero();
    }

    /** A new term while a sync is in flight: one sync covers both, the earlier acknowledgement first. */
    @Test
    void aTermChangeIsABarrierThatFlushesTheSyncsInFlight() {
        long[] lastAndTerm = followAndLeaveOneSyncInFlight();
        long term = lastAndTerm[1];
        events.clear();
        core.step(new Message.AppendEntries("n3", "n1", term + 1, lastAndTerm[0], term, List.of(), lastAndTerm[0] - 1));
        assertThat(handler.submit(core.ready())).as("synced on the spot").isNull();
        assertThat(events).containsSubsequence("hardState t" + (term + 1), "sync " + storage.started,
                "send AppendEntriesResponse", "send AppendEntriesResponse");
        assertThat(handler.syncsInFlight()).isZero();
    }

    /**
     * A pipelined force failed, and the next fsync (the barrier's, on the driver thread) succeeds, as Linux may
     * report after dropping the failed pages. The barrier must not acknowledge the writes of the failed sync.
     */
    @Test
    void aBarrierDoesNotAcknowledgeWritesWhosePipelinedForceFailed() {
        long[] lastAndTerm = followAndLeaveOneSyncInFlight();
        DurableStorage.PendingSync inFlight = lastInFlight;
        storage.failForces = true;
        inFlight.force();
        storage.failForces = false;
        events.clear();
        long term = lastAndTerm[1];
        core.step(new Message.AppendEntries("n3", "n1", term + 1, lastAndTerm[0], term, List.of(), lastAndTerm[0] - 1));
        assertThatThrownBy(() -> handler.submit(core.ready())).isInstanceOf(StorageException.class);
        assertThat(events).doesNotContain("send AppendEntriesResponse");
    }

    /** A failed force reported after a later sync covered its writes still stops the node. */
    @Test
    void aFailedSyncReportedAfterALaterOneCoveredItStillThrows() {
        long[] lastAndTerm = followAndLeaveOneSyncInFlight();
        DurableStorage.PendingSync earlier = lastInFlight;
        long term = lastAndTerm[1];
        Entry third = new Entry(lastAndTerm[0] + 1, term, dev.ratchet.raft.EntryType.COMMAND, new byte[] {9});
        core.step(new Message.AppendEntries("n2", "n1", term, lastAndTerm[0], term, List.of(third), lastAndTerm[0]));
        DurableStorage.PendingSync later = handler.submit(core.ready());
        later.force();
        handler.synced(later);
        storage.failForces = true;
        earlier.force();
        assertThatThrownBy(() -> handler.synced(earlier)).isInstanceOf(StorageException.class);
    }

    private DurableStorage.PendingSync lastInFlight;

    /** Follows n2 in a new term with two entries, the second one's sync submitted and not forced. */
    private long[] followAndLeaveOneSyncInFlight() {
        start(List.of("n1", "n2", "n3"));
        drain();
        long last = storage.lastIndex();
        long term = core.term() + 1;
        Entry first = new Entry(last + 1, term, dev.ratchet.raft.EntryType.COMMAND, new byte[] {7});
        core.step(new Message.AppendEntries("n2", "n1", term, last, storage.term(last), List.of(first), last));
        drain();
        Entry second = new Entry(last + 2, term, dev.ratchet.raft.EntryType.COMMAND, new byte[] {8});
        core.step(new Message.AppendEntries("n2", "n1", term, last + 1, term, List.of(second), last + 1));
        lastInFlight = handler.submit(core.ready());
        assertThat(lastInFlight).isNotNull();
        return new long[] {last + 2, term};
    }

    private void drainWithoutSyncing() {
        while (core.hasReady()) {
            handler.submit(core.ready());
        }
    }

    private void leadAThreeNodeCluster() {
        start(List.of("n1", "n2", "n3"));
        drain();
        tickUntil(Role.PRE_CANDIDATE);
        core.step(new Message.PreVoteResponse("n2", "n1", core.term() + 1, true));
        drain();
        core.step(new Message.VoteResponse("n2", "n1", core.term(), true));
        drain();
        assertThat(core.role()).isEqualTo(Role.LEADER);
        // n2 acknowledges the leader's first entry: everything so far is committed and applied.
        core.step(new Message.AppendEntriesResponse("n2", "n1", core.term(), true, storage.lastIndex(), 0, 0));
        drain();
        assertThat(handler.appliedIndex()).isEqualTo(storage.lastIndex());
    }
}
