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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The order {@link ReadyHandler} imposes on one Ready (the contract of {@link dev.ratchet.raft.Ready}),
 * observed on a real core: writes, then one sync, and only then the messages that promise them; the
 * leader's replication traffic before its own sync; apply after; the three steps only in order.
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

        @Override public void sync() {
            events.add("sync");
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

        @Override public byte[] snapshotData() {
            return new byte[] {42};
        }
    };

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
        assertThat(events).containsSubsequence("hardState t2", "sync", "send Vote");
        assertThat(events.indexOf("sync")).isLessThan(events.indexOf("send Vote"));

        core.step(new Message.VoteResponse("n2", "n1", core.term(), true));
        events.clear();
        drain();
        assertThat(core.role()).isEqualTo(Role.LEADER);
        // Replication traffic does not acknowledge local writes: it goes out before them (thesis §10.2.1).
        assertThat(events).containsSubsequence("send AppendEntries", "append 1", "sync");
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
     * Issue 14: an entry committed by the followers' acknowledgements is applied (and its caller answered)
     * before the sync of the entries proposed meanwhile, not after it: it is on this disk since an earlier
     * Ready, and waiting for an unrelated fsync put one more disk round on every write's latency.
     */
    @Test
    void anAlreadyDurableCommittedEntryIsAppliedBeforeTheSyncOfNewEntries() {
        leadAThreeNodeCluster();
        long first = core.propose(new byte[] {1});
        drain();
        assertThat(applied).extracting(Entry::index).doesNotContain(first);
        // n2 acknowledges it (a quorum with the leader), and a new proposal arrives in the same step.
        core.step(new Message.AppendEntriesResponse("n2", "n1", core.term(), true, first, 0, 0));
        long second = core.propose(new byte[] {2});
        events.clear();
        var rd = core.ready();
        assertThat(rd.entries()).extracting(Entry::index).containsExactly(second);
        assertThat(rd.committedEntries()).extracting(Entry::index).contains(first);
        handler.persist(rd);
        assertThat(events).as("applied while the new entry's write is still unsynced")
                .containsSubsequence("append 1", "apply " + first).doesNotContain("sync");
        handler.sync();
        handler.complete();
        assertThat(events).containsSubsequence("apply " + first, "sync");
        assertThat(applied).extracting(Entry::index).doesNotContain(second);
    }

    /** A follower that learns of an entry and its commit in one message applies it only after its sync. */
    @Test
    void anEntryCommittedInTheReadyThatWritesItIsAppliedOnlyAfterTheSync() {
        start(List.of("n1", "n2", "n3"));
        drain();
        long last = storage.lastIndex();
        long term = core.term() + 1;
        Entry entry = new Entry(last + 1, term, dev.ratchet.raft.EntryType.COMMAND, new byte[] {7});
        core.step(new Message.AppendEntries("n2", "n1", term, last, storage.term(last), List.of(entry), last + 1));
        events.clear();
        drain();
        assertThat(events).containsSubsequence("append 1", "sync", "apply " + (last + 1));
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

    @Test
    void theThreeStepsRunOnlyInOrder() {
        start(List.of("n1", "n2", "n3"));
        assertThatThrownBy(handler::sync).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(handler::complete).isInstanceOf(IllegalStateException.class);
        var rd = core.ready();
        handler.persist(rd);
        assertThat(handler.inProgress()).isTrue();
        assertThatThrownBy(() -> handler.persist(rd)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(handler::complete).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> handler.snapshotIfDue(1, true)).isInstanceOf(IllegalStateException.class);
        handler.sync();
        handler.complete();
        assertThat(handler.inProgress()).isFalse();
        assertThat(core.hasReady()).isFalse();
    }
}
