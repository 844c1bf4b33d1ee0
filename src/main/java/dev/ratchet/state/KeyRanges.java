package dev.ratchet.state;

import java.util.ArrayList;
import java.util.List;

/**
 * Prefix ranges and pages over the sorted maps of the replicated state (documents by key, artifacts by
 * path). Stateless; the maps are immutable, so this needs no lock of its own.
 */
final class KeyRanges {

    private KeyRanges() {
    }

    /**
     * The range a prefix command applied from the log covers: from the prefix to the prefix followed by U+FFFF,
     * exclusive, as it always did. That leaves out a key that goes on past a U+FFFF right after the prefix, but
     * what a log entry does must not differ between versions: nodes of two versions in one cluster, or a node
     * replaying an old entry, would otherwise end with different states. Listings ({@link #page}) use the exact bound.
     */
    static <V> Iterable<V> appliedPrefixRange(PersistentSortedMap<String, V> map, String prefix) {
        return map.range(prefix, true, prefix.isEmpty() ? null : prefix + Character.MAX_VALUE);
    }

    /**
     * Up to {@code limit} values with the prefix (null: any) whose key sorts after {@code after} (null: from
     * the start), in key order.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    static <V> List<V> page(PersistentSortedMap<String, V> map, String prefix, String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        String from = prefix == null ? "" : prefix;
        Iterable<V> range = after != null && after.compareTo(from) >= 0
                ? map.range(after, false, upperBound(from))
                : map.range(from, true, upperBound(from));
        List<V> page = new ArrayList<>(Math.min(limit, 256));
        for (V v : range) {
            if (page.size() == limit) {
                break;
            }
            page.add(v);
        }
        return page;
    }

    /**
     * The least string above every string with the prefix, or null if there is none (the empty prefix, or
     * one of U+FFFF only): the prefix with trailing U+FFFF dropped and its last char raised by one. The
     * prefix followed by U+FFFF would not do: a key may go on after that char.
     */
    static String upperBound(String prefix) {
        int end = prefix.length();
        while (end > 0 && prefix.charAt(end - 1) == Character.MAX_VALUE) {
            end--;
        }
        if (end == 0) {
            return null;
        }
        return prefix.substring(0, end - 1) + (char) (prefix.charAt(end - 1) + 1);
    }
}
