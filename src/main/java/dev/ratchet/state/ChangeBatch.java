package dev.ratchet.state;

import java.util.List;

/** Every document change made by the log entry at {@code revision}, in the order they were made. */
public record ChangeBatch(long revision, List<Change> changes) {

    public ChangeBatch {
        changes = List.copyOf(changes);
    }

    /** Approximate bytes held by the batch. */
    public long sizeBytes() {
        long total = 32;
        for (Change c : changes) {
            total += c.sizeBytes();
        }
        return total;
    }

    /** The changes whose key starts with {@code prefix} (all of them for ""). */
    public List<Change> under(String prefix) {
        if (prefix.isEmpty()) {
            return changes;
        }
        return changes.stream().filter(c -> c.key().startsWith(prefix)).toList();
    }

    /** True if a change touches exactly {@code key}. */
    public boolean touches(String key) {
        for (Change c : changes) {
            if (c.key().equals(key)) {
                return true;
            }
        }
        return false;
    }
}
