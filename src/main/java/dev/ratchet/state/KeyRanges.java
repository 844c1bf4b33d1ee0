package dev.ratchet.state;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;

/**
 * Prefix ranges and pages over the sorted maps of the replicated state (documents by key, artifacts by
 * path). Stateless; the maps passed in are not thread-safe, so callers hold {@link ClusterState}'s lock.
 */
final class KeyRanges {

    private KeyRanges() {
    }

    /** A live view of the entries whose key starts with {@code prefix} ("" is the whole map). */
    static <V> NavigableMap<String, V> withPrefix(NavigableMap<String, V> map, String prefix) {
        if (prefix.isEmpty()) {
            return map;
        }
        // Every string with the prefix sorts between the prefix and the prefix followed by U+FFFF.
        return map.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
    }

    /**
     * Up to {@code limit} values with the prefix (null: any) whose key sorts after {@code after} (null: from
     * the start), in key order.
     *
     * @throws IllegalArgumentException if {@code limit} is below 1
     */
    static <V> List<V> page(NavigableMap<String, V> map, String prefix, String after, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1");
        }
        NavigableMap<String, V> range = withPrefix(map, prefix == null ? "" : prefix);
        if (after != null) {
            range = range.tailMap(after, false);
        }
        List<V> page = new ArrayList<>(Math.min(limit, 256));
        for (V v : range.values()) {
            if (page.size() == limit) {
                break;
            }
            page.add(v);
        }
        return page;
    }
}
