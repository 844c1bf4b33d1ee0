package dev.ratchet.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * The membership history of the log (thesis §4.1): the configuration of the latest snapshot plus the
 * configuration after each CONF_CHANGE entry beyond it. A change takes effect when appended, so the
 * current configuration is that of the last change in the log, and truncating the log undoes changes.
 */
final class Membership {

    private record Change(long index, ConfState conf) { }

    private ConfState base;
    private final ArrayList<Change> changes = new ArrayList<>();

    private Membership(ConfState base) {
        this.base = base;
    }

    /** Rebuilds the history from storage: the snapshot's membership plus every change entry after it. */
    static Membership load(RaftStorage storage) {
        Membership m = new Membership(storage.snapshotMetadata().conf());
        // Changes at or below the snapshot index are already in its membership (a catch-up margin may keep them).
        long lo = Math.max(storage.firstIndex(), storage.snapshotMetadata().index() + 1);
        long last = storage.lastIndex();
        while (lo <= last) {
            List<Entry> batch = storage.entries(lo, last + 1, 8L << 20);
            m.onAppend(batch);
            lo += batch.size();
        }
        return m;
    }

    ConfState current() {
        return changes.isEmpty() ? base : changes.get(changes.size() - 1).conf();
    }

    /** Index of the last change entry in the log, or 0 when none is newer than the snapshot. */
    long lastChangeIndex() {
        return changes.isEmpty() ? 0 : changes.get(changes.size() - 1).index();
    }

    /** Records appended entries (dropping changes they overwrite); true if the configuration changed. */
    boolean onAppend(List<Entry> entries) {
        if (entries.isEmpty()) {
            return false;
        }
        ConfState before = current();
        long first = entries.get(0).index();
        while (!changes.isEmpty() && changes.get(changes.size() - 1).index() >= first) {
            changes.remove(changes.size() - 1);
        }
        for (Entry e : entries) {
            if (e.type() == EntryType.CONF_CHANGE) {
                changes.add(new Change(e.index(), applyOrKeep(current(), e)));
            }
        }
        return !before.equals(current());
    }

    /**
     * Invalid changes never reach the log through a leader (it validates proposals), but a change must
     * be a deterministic function of the log on every node, so one that does not apply is a no-op.
     */
    private static ConfState applyOrKeep(ConfState conf, Entry e) {
        return ConfChange.applyEntry(conf, e.data());
    }

    /** The log was replaced by a snapshot. */
    void onRestore(SnapshotMetadata meta) {
        base = meta.conf();
        changes.clear();
    }

    /** Folds changes at or below {@code committed} into the base; they can no longer be undone. */
    void compactTo(long committed) {
        while (changes.size() > 1 && changes.get(0).index() <= committed) {
            base = changes.remove(0).conf();
        }
    }
}
