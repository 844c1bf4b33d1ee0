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

    /** The values whose key starts with {@code prefix} ("" is the whole map), in key order. */
    static <V> Iterable<V> withPrefix(PersistentSortedMap<String, V> map, String prefix) {
        return map.range(prefix, true, upperBound(prefix));
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
