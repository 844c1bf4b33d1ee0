package dev.ratchet.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The core's view of the log: the durable part read through {@link RaftStorage} plus an unstable tail (and
 * possibly a snapshot from the leader) that a {@link Ready} has yet to persist. Tracks the commit and applied
 * indexes and asserts they only move forward.
 */
final class RaftLog {

    private final RaftStorage storage;
    private Snapshot unstableSnapshot;
    private final ArrayList<Entry> unstable = new ArrayList<>();
    private long unstableOffset;
    private long committed;
    private long applied;
    /**
     * The highest index this node's own disk is known to hold (synced), as the driver reported it. Only these
     * entries count towards the leader's own match (thesis §10.2.1); with pipelined storage writes it trails
     * the entries handed to storage.
     */
    private long durable;

    RaftLog(RaftStorage storage) {
        this.storage = storage;
        this.unstableOffset = storage.lastIndex() + 1;
        // Whatever storage holds at start was recovered from disk.
        this.durable = storage.lastIndex();
        this.committed = storage.hardState().commit();
        // The snapshot, not the first log entry, says what is applied: entries kept below it as a catch-up
        // margin are already part of the state machine.
        this.applied = storage.snapshotMetadata().index();
        if (committed < applied) {
            // A snapshot always covers committed entries only.
            committed = applied;
        }
        if (committed > storage.lastIndex()) {
            throw new IllegalStateException("stored commit " + committed + " is beyond the last index " + storage.lastIndex());
        }
    }

    long committed() {
        return committed;
    }

    long applied() {
        return applied;
    }

    long firstIndex() {
        return unstableSnapshot != null ? unstableSnapshot.metadata().index() + 1 : storage.firstIndex();
    }

    long lastIndex() {
        if (!unstable.isEmpty()) {
            return unstableOffset + unstable.size() - 1;
        }
        if (unstableSnapshot != null) {
            return unstableSnapshot.metadata().index();
        }
        return storage.lastIndex();
    }

    long lastTerm() {
        return term(lastIndex());
    }

    /** The term at {@code index}; throws {@link LogCompactedException} or {@link EntryUnavailableException}. */
    long term(long index) {
        if (unstableSnapshot != null) {
            long snapIndex = unstableSnapshot.metadata().index();
            if (index == snapIndex) {
                return unstableSnapshot.metadata().term();
            }
            if (index < snapIndex) {
                throw new LogCompactedException(index, snapIndex);
            }
        }
        if (index >= unstableOffset) {
            int pos = (int) (index - unstableOffset);
            if (pos < unstable.size()) {
                return unstable.get(pos).term();
            }
            throw new EntryUnavailableException(index, lastIndex());
        }
        return storage.term(index);
    }

    /** The term at {@code index}, or 0 when it is compacted or beyond the log. */
    long termOrZero(long index) {
        if (index < firstIndex() - 1 || index > lastIndex()) {
            return 0;
        }
        try {
            return term(index);
        } catch (LogCompactedException | EntryUnavailableException e) {
            return 0;
        }
    }

    boolean matchTerm(long index, long term) {
        return termOrZero(index) == term && (term != 0 || index == 0);
    }

    /** §5.4.1: a candidate's log is at least as up to date as ours. */
    boolean isUpToDate(long lastIndex, long lastTerm) {
        long myTerm = lastTerm();
        return lastTerm > myTerm || (lastTerm == myTerm && lastIndex >= lastIndex());
    }

    /** Entries in {@code [lo, hi)}, at most {@code maxBytes} (at least one). */
    List<Entry> entries(long lo, long hi, long maxBytes) {
        if (lo < firstIndex()) {
            throw new LogCompactedException(lo, firstIndex() - 1);
        }
        if (hi > lastIndex() + 1) {
            throw new EntryUnavailableException(hi - 1, lastIndex());
        }
        List<Entry> out = new ArrayList<>();
        long bytes = 0;
        if (lo < unstableOffset) {
            List<Entry> stable = storage.entries(lo, Math.min(hi, unstableOffset), maxBytes);
            for (Entry e : stable) {
                bytes += e.sizeBytes();
                out.add(e);
            }
            if (out.size() < Math.min(hi, unstableOffset) - lo) {
                return out;
            }
        }
        for (long i = Math.max(lo, unstableOffset); i < hi; i++) {
            Entry e = unstable.get((int) (i - unstableOffset));
            if (!out.isEmpty() && bytes + e.sizeBytes() > maxBytes) {
                break;
            }
            bytes += e.sizeBytes();
            out.add(e);
        }
        return out;
    }

    /** The first index whose entry conflicts with (or is missing from) the log, or 0 if all match. */
    long findConflict(List<Entry> entries) {
        for (Entry e : entries) {
            if (!matchTerm(e.index(), e.term())) {
                return e.index();
            }
        }
        return 0;
    }

    /** The largest index at or below {@code index} whose term is at most {@code term} (stops at the snapshot). */
    long findConflictByTerm(long index, long term) {
        long i = Math.min(index, lastIndex());
        long floor = firstIndex() - 1;
        while (i > floor) {
            if (term(i) <= term) {
                return i;
            }
            i--;
        }
        return i;
    }

    /** Appends entries, discarding any conflicting suffix first. Never touches committed entries. */
    void truncateAndAppend(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        long first = entries.get(0).index();
        if (first <= committed) {
            throw new IllegalStateException("append at " + first + " would overwrite committed entries (commit " + committed + ")");
        }
        if (first > lastIndex() + 1) {
            throw new IllegalStateException("append at " + first + " leaves a gap after " + lastIndex());
        }
        long expect = first;
        for (Entry e : entries) {
            if (e.index() != expect++) {
                throw new IllegalStateException("entries are not consecutive at " + e.index());
            }
        }
        if (first <= durable) {
            // The entries being replaced were durable, their replacements are not yet.
            durable = first - 1;
        }
        if (first == unstableOffset + unstable.size()) {
            unstable.addAll(entries);
        } else if (first <= unstableOffset) {
            unstableOffset = first;
            unstable.clear();
            unstable.addAll(entries);
        } else {
            unstable.subList((int) (first - unstableOffset), unstable.size()).clear();
            unstable.addAll(entries);
        }
    }

    void commitTo(long index) {
        if (index > committed) {
            if (index > lastIndex()) {
                throw new IllegalStateException("commit " + index + " is beyond the last index " + lastIndex());
            }
            committed = index;
        }
    }

    void appliedTo(long index) {
        if (index < applied || index > committed) {
            throw new IllegalStateException("applied " + index + " outside [" + applied + ", " + committed + "]");
        }
        applied = index;
    }

    /** Replaces the log with a snapshot from the leader. */
    void restore(Snapshot snapshot) {
        long index = snapshot.metadata().index();
        if (index <= committed) {
            throw new IllegalStateException("snapshot at " + index + " is not beyond commit " + committed);
        }
        unstableSnapshot = snapshot;
        unstable.clear();
        unstableOffset = index + 1;
        committed = index;
        durable = Math.min(durable, index);
    }

    boolean hasUnstable() {
        return unstableSnapshot != null || !unstable.isEmpty();
    }

    Snapshot unstableSnapshot() {
        return unstableSnapshot;
    }

    List<Entry> unstableEntries() {
        return List.copyOf(unstable);
    }

    /** The driver persisted everything up to {@code index}@{@code term}. */
    void stableTo(long index, long term) {
        long pos = index - unstableOffset;
        if (pos >= 0 && pos < unstable.size() && unstable.get((int) pos).term() == term) {
            unstable.subList(0, (int) pos + 1).clear();
            unstableOffset = index + 1;
        }
    }

    /**
     * The driver synced everything up to {@code index}@{@code term}. Ignored when that entry is no longer in
     * the log (a later append replaced it): the sync then says nothing about the entries now there.
     */
    void persistedTo(long index, long term) {
        if (index > durable && index <= lastIndex() && termOrZero(index) == term) {
            durable = index;
        }
    }

    long durableIndex() {
        return durable;
    }

    void stableSnapshotTo(long index) {
        if (unstableSnapshot != null && unstableSnapshot.metadata().index() == index) {
            unstableSnapshot = null;
        }
    }

    boolean hasEntriesToApply() {
        return committed > Math.max(applied, firstIndex() - 1);
    }

    List<Entry> entriesToApply(long maxBytes) {
        long lo = Math.max(applied + 1, firstIndex());
        if (lo > committed) {
            return List.of();
        }
        return entries(lo, committed + 1, maxBytes);
    }

    RaftStorage storage() {
        return storage;
    }
}
