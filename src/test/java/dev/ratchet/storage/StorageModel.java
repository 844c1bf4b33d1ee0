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

/**
 * The obviously correct in-memory storage that {@link FileRaftStorage} is checked against, with the
 * catch-up margin of the options it is given: a snapshot keeps the newest entries at and below its index
 * while there are at most {@code catchUpEntries} of them and their sizes add up to at most {@code catchUpBytes}.
 */
final class StorageModel {

    private final StorageOptions options;
    Snapshot snapshot = Snapshot.EMPTY;
    /** Entries from {@link #firstIndex()} on (those at or below the snapshot index are the margin). */
    List<Entry> entries = new ArrayList<>();
    long first = 1;
    HardState hardState = HardState.EMPTY;

    StorageModel(StorageOptions options) {
        this.options = options;
    }

    StorageModel copy() {
        StorageModel copy = new StorageModel(options);
        copy.snapshot = snapshot;
        copy.entries = new ArrayList<>(entries);
        copy.first = first;
        copy.hardState = hardState;
        return copy;
    }

    long snapshotIndex() {
        return snapshot.metadata().index();
    }

    long firstIndex() {
        return first;
    }

    long lastIndex() {
        return Math.max(snapshotIndex(), first + entries.size() - 1);
    }

    long term(long index) {
        return index == snapshotIndex() ? snapshot.metadata().term() : entries.get((int) (index - first)).term();
    }

    /** Membership as of {@code index}: the snapshot's plus conf changes up to it. */
    ConfState confAt(long index) {
        ConfState conf = snapshot.metadata().conf();
        for (Entry entry : entries) {
            if (entry.index() > snapshotIndex() && entry.index() <= index && entry.type() == EntryType.CONF_CHANGE) {
                conf = TestConfChanges.INSTANCE.apply(conf, entry);
            }
        }
        return conf;
    }

    void append(List<Entry> appended) {
        long first = appended.get(0).index();
        entries.subList((int) (first - this.first), entries.size()).clear();
        entries.addAll(appended);
    }

    /** Drops every entry from {@code index} on (what a truncation record alone does). */
    void truncateFrom(long index) {
        if (index <= lastIndex()) {
            entries.subList((int) (index - first), entries.size()).clear();
        }
    }

    /** True if the storage shows exactly this model (see {@link #assertMatches}). */
    boolean matches(FileRaftStorage storage) {
        try {
            assertMatches(storage);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    void snapshot(Snapshot next, boolean keepSuffix) {
        long index = next.metadata().index();
        if (keepSuffix) {
            long keepFrom = index + 1;
            long bytes = 0;
            while (keepFrom > first && index + 1 - keepFrom < options.catchUpEntries()) {
                bytes += entries.get((int) (keepFrom - 1 - first)).sizeBytes();
                if (bytes > options.catchUpBytes()) {
                    break;
                }
                keepFrom--;
            }
            entries = new ArrayList<>(entries.subList((int) (keepFrom - first), entries.size()));
            first = keepFrom;
        } else {
            entries = new ArrayList<>();
            first = index + 1;
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
        if (firstIndex() > 1) {
            if (firstIndex() - 1 != snapshotIndex()) {
                assertThatThrownBy(() -> storage.term(firstIndex() - 1)).isInstanceOf(LogCompactedException.class);
            }
            assertThatThrownBy(() -> storage.entries(firstIndex() - 1, lastIndex() + 1, Long.MAX_VALUE))
                    .isInstanceOf(LogCompactedException.class);
        }
        assertThatThrownBy(() -> storage.term(lastIndex() + 1)).isInstanceOf(EntryUnavailableException.class);
        assertThatThrownBy(() -> storage.entries(firstIndex(), lastIndex() + 2, Long.MAX_VALUE))
                .isInstanceOf(EntryUnavailableException.class);
    }
}
