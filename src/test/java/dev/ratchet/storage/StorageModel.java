package dev.ratchet.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Entry;
import dev.ratchet.raft.EntryType;
import dev.ratchet.raft.EntryUnavailableException;
import dev.ratchet.raft.HardState;
import dev.ratchet.raft.LogCompactedException;
import dev.ratchet.raft.Snapshot;
import java.util.ArrayList;
import java.util.List;

/** The obviously correct in-memory storage that {@link FileRaftStorage} is checked against. */
final class StorageModel {

    Snapshot snapshot = Snapshot.EMPTY;
    List<Entry> entries = new ArrayList<>();
    HardState hardState = HardState.EMPTY;

    StorageModel copy() {
        StorageModel copy = new StorageModel();
        copy.snapshot = snapshot;
        copy.entries = new ArrayList<>(entries);
        copy.hardState = hardState;
        return copy;
    }

    long snapshotIndex() {
        return snapshot.metadata().index();
    }

    long firstIndex() {
        return snapshotIndex() + 1;
    }

    long lastIndex() {
        return snapshotIndex() + entries.size();
    }

    long term(long index) {
        return index == snapshotIndex() ? snapshot.metadata().term() : entries.get((int) (index - firstIndex())).term();
    }

    /** Membership as of {@code index}: the snapshot's plus conf changes up to it. */
    ConfState confAt(long index) {
        ConfState conf = snapshot.metadata().conf();
        for (Entry entry : entries) {
            if (entry.index() <= index && entry.type() == EntryType.CONF_CHANGE) {
                conf = TestConfChanges.INSTANCE.apply(conf, entry);
            }
        }
        return conf;
    }

    void append(List<Entry> appended) {
        long first = appended.get(0).index();
        entries.subList((int) (first - firstIndex()), entries.size()).clear();
        entries.addAll(appended);
    }

    void snapshot(Snapshot next, boolean keepSuffix) {
        long index = next.metadata().index();
        if (keepSuffix) {
            entries = new ArrayList<>(entries.subList((int) (index - snapshotIndex()), entries.size()));
        } else {
            entries = new ArrayList<>();
        }
        snapshot = next;
    }

    /** Asserts that the storage shows exactly this model through every read of the contract. */
    void assertMatches(FileRaftStorage storage) {
        assertThat(storage.snapshot()).isEqualTo(snapshot);
        assertThat(storage.firstIndex()).isEqualTo(firstIndex());
        assertThat(storage.lastIndex()).isEqualTo(lastIndex());
        assertThat(storage.hardState()).isEqualTo(hardState);
        assertThat(storage.confState()).isEqualTo(confAt(Long.MAX_VALUE));
        assertThat(storage.term(snapshotIndex())).isEqualTo(snapshot.metadata().term());
        assertThat(storage.entries(firstIndex(), lastIndex() + 1, Long.MAX_VALUE)).isEqualTo(entries);
        for (Entry entry : entries) {
            assertThat(storage.term(entry.index())).isEqualTo(entry.term());
        }
        if (!entries.isEmpty()) {
            List<Entry> limited = storage.entries(firstIndex(), lastIndex() + 1, 1);
            assertThat(limited).containsExactly(entries.get(0));
        }
        if (snapshotIndex() > 0) {
            assertThatThrownBy(() -> storage.term(snapshotIndex() - 1)).isInstanceOf(LogCompactedException.class);
            assertThatThrownBy(() -> storage.entries(snapshotIndex(), lastIndex() + 1, Long.MAX_VALUE))
                    .isInstanceOf(LogCompactedException.class);
        }
        assertThatThrownBy(() -> storage.term(lastIndex() + 1)).isInstanceOf(EntryUnavailableException.class);
        assertThatThrownBy(() -> storage.entries(firstIndex(), lastIndex() + 2, Long.MAX_VALUE))
                .isInstanceOf(EntryUnavailableException.class);
    }
}
