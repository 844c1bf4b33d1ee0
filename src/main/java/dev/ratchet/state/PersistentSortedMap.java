package dev.ratchet.state;

import java.util.AbstractCollection;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * An immutable sorted map: an AVL tree whose updates copy only the path from the root to the change and
 * share every other node with the map they came from. That is what lets a snapshot capture the documents in
 * O(1) (issue 14): the driver keeps the map as of the applied index, goes on applying into newer maps, and
 * the snapshot writer encodes the captured one on its own thread, however long that takes.
 *
 * <p>A node is 32 bytes with compressed references (a {@link java.util.TreeMap} entry is 40); an update
 * leaves about log2(n) short-lived nodes behind. Keys and values must not be null. Immutable, so safe to
 * read from any number of threads without locking; the maps returned by {@link #with} and {@link #without}
 * are new, and this one is unchanged.
 *
 * @param <K> the key type, ordered by its natural order
 * @param <V> the value type
 */
final class PersistentSortedMap<K extends Comparable<? super K>, V> {

    private static final PersistentSortedMap<?, ?> EMPTY = new PersistentSortedMap<>(null, 0);

    /** A tree node; {@code height} is 1 for a leaf. */
    private static final class Node<K, V> {
        final K key;
        final V value;
        final Node<K, V> left;
        final Node<K, V> right;
        final int height;

        Node(K key, V value, Node<K, V> left, Node<K, V> right) {
            this.key = key;
            this.value = value;
            this.left = left;
            this.right = right;
            this.height = Math.max(height(left), height(right)) + 1;
        }
    }

    private final Node<K, V> root;
    private final int size;

    private PersistentSortedMap(Node<K, V> root, int size) {
        this.root = root;
        this.size = size;
    }

    @SuppressWarnings("unchecked")
    static <K extends Comparable<? super K>, V> PersistentSortedMap<K, V> empty() {
        return (PersistentSortedMap<K, V>) EMPTY;
    }

    /**
     * A map of {@code values}, keyed by {@code keyOf}, built in O(n) as a balanced tree.
     *
     * @param values in strictly ascending key order
     * @throws IllegalArgumentException if the keys are not strictly ascending
     * @throws NullPointerException if a value or a key is null
     */
    static <K extends Comparable<? super K>, V> PersistentSortedMap<K, V> ofSorted(List<V> values,
            Function<? super V, ? extends K> keyOf) {
        K previous = null;
        for (V v : values) {
            K key = Objects.requireNonNull(keyOf.apply(Objects.requireNonNull(v, "value")), "key");
            if (previous != null && previous.compareTo(key) >= 0) {
                throw new IllegalArgumentException("keys not in strictly ascending order at " + key);
            }
            previous = key;
        }
        return new PersistentSortedMap<>(build(values, keyOf, 0, values.size()), values.size());
    }

    private static <K, V> Node<K, V> build(List<V> values, Function<? super V, ? extends K> keyOf, int from, int to) {
        if (from >= to) {
            return null;
        }
        int mid = (from + to) >>> 1;
        V v = values.get(mid);
        return new Node<>(keyOf.apply(v), v, build(values, keyOf, from, mid), build(values, keyOf, mid + 1, to));
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The value for {@code key}, or null. */
    V get(K key) {
        Objects.requireNonNull(key, "key");
        Node<K, V> n = root;
        while (n != null) {
            int c = key.compareTo(n.key);
            if (c == 0) {
                return n.value;
            }
            n = c < 0 ? n.left : n.right;
        }
        return null;
    }

    /** This map with {@code key} mapped to {@code value} (added, or replacing what it was). */
    PersistentSortedMap<K, V> with(K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        boolean[] added = new boolean[1];
        Node<K, V> next = insert(root, key, value, added);
        return new PersistentSortedMap<>(next, added[0] ? size + 1 : size);
    }

    /** This map without {@code key}; this very map if it has no such key. */
    PersistentSortedMap<K, V> without(K key) {
        Objects.requireNonNull(key, "key");
        Node<K, V> next = delete(root, key);
        // delete hands back the very subtree it was given when the key is not in it.
        return next == root ? this : new PersistentSortedMap<>(next, size - 1);
    }

    /** The values in key order: a view of this (immutable) map, iterable from any thread. */
    Collection<V> values() {
        return new AbstractCollection<>() {
            @Override
            public Iterator<V> iterator() {
                return range(null, false, null).iterator();
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /**
     * The values whose keys lie above {@code from} (null: from the first; included if {@code inclusive}) and
     * below {@code toExclusive} (null: to the last), in key order; each iteration walks the tree afresh.
     */
    Iterable<V> range(K from, boolean inclusive, K toExclusive) {
        return () -> new RangeIterator<>(root, from, inclusive, toExclusive);
    }

    private static int height(Node<?, ?> n) {
        return n == null ? 0 : n.height;
    }

    /** @param added set to true when the key was not in the subtree before */
    private static <K extends Comparable<? super K>, V> Node<K, V> insert(Node<K, V> n, K key, V value,
            boolean[] added) {
        if (n == null) {
            added[0] = true;
            return new Node<>(key, value, null, null);
        }
        int c = key.compareTo(n.key);
        if (c == 0) {
            return new Node<>(key, value, n.left, n.right);
        }
        return c < 0 ? balance(n.key, n.value, insert(n.left, key, value, added), n.right)
                : balance(n.key, n.value, n.left, insert(n.right, key, value, added));
    }

    /** Removes {@code key}; returns {@code n} itself (nothing copied) if the subtree does not hold it. */
    private static <K extends Comparable<? super K>, V> Node<K, V> delete(Node<K, V> n, K key) {
        if (n == null) {
            return null;
        }
        int c = key.compareTo(n.key);
        if (c < 0) {
            Node<K, V> left = delete(n.left, key);
            return left == n.left ? n : balance(n.key, n.value, left, n.right);
        } else if (c > 0) {
            Node<K, V> right = delete(n.right, key);
            return right == n.right ? n : balance(n.key, n.value, n.left, right);
        }
        if (n.left == null) {
            return n.right;
        } else if (n.right == null) {
            return n.left;
        }
        Node<K, V> successor = n.right;
        while (successor.left != null) {
            successor = successor.left;
        }
        return balance(successor.key, successor.value, n.left, deleteFirst(n.right));
    }

    private static <K, V> Node<K, V> deleteFirst(Node<K, V> n) {
        if (n.left == null) {
            return n.right;
        }
        return balance(n.key, n.value, deleteFirst(n.left), n.right);
    }

    /** A node over two subtrees whose heights differ by at most 2, rotated back to a difference of at most 1. */
    private static <K, V> Node<K, V> balance(K key, V value, Node<K, V> left, Node<K, V> right) {
        int diff = height(left) - height(right);
        if (diff > 1) {
            if (height(left.left) >= height(left.right)) {
                return new Node<>(left.key, left.value, left.left, new Node<>(key, value, left.right, right));
            }
            Node<K, V> lr = left.right;
            return new Node<>(lr.key, lr.value, new Node<>(left.key, left.value, left.left, lr.left),
                    new Node<>(key, value, lr.right, right));
        } else if (diff < -1) {
            if (height(right.right) >= height(right.left)) {
                return new Node<>(right.key, right.value, new Node<>(key, value, left, right.left), right.right);
            }
            Node<K, V> rl = right.left;
            return new Node<>(rl.key, rl.value, new Node<>(key, value, left, rl.left),
                    new Node<>(right.key, right.value, rl.right, right.right));
        }
        return new Node<>(key, value, left, right);
    }

    /** Checks the tree's order, balance, heights and size; for tests. @throws IllegalStateException if broken */
    void checkInvariants() {
        int[] count = {0};
        check(root, null, null, count);
        if (count[0] != size) {
            throw new IllegalStateException("size " + size + " but " + count[0] + " nodes");
        }
    }

    private static <K extends Comparable<? super K>> int check(Node<K, ?> n, K above, K below, int[] count) {
        if (n == null) {
            return 0;
        }
        count[0]++;
        if ((above != null && n.key.compareTo(above) <= 0) || (below != null && n.key.compareTo(below) >= 0)) {
            throw new IllegalStateException("key " + n.key + " out of order");
        }
        int l = check(n.left, above, n.key, count);
        int r = check(n.right, n.key, below, count);
        if (Math.abs(l - r) > 1 || n.height != Math.max(l, r) + 1) {
            throw new IllegalStateException("unbalanced or wrong height at " + n.key);
        }
        return n.height;
    }

    /** In-order walk with an explicit stack of the nodes still to visit (at most the tree's height). */
    private static final class RangeIterator<K extends Comparable<? super K>, V> implements Iterator<V> {
        private final Node<K, V>[] stack;
        private int depth;
        private final K toExclusive;

        @SuppressWarnings("unchecked")
        RangeIterator(Node<K, V> root, K from, boolean inclusive, K toExclusive) {
            this.stack = (Node<K, V>[]) new Node<?, ?>[height(root)];
            this.toExclusive = toExclusive;
            Node<K, V> n = root;
            while (n != null) {
                int c = from == null ? 1 : n.key.compareTo(from);
                if (c > 0 || (c == 0 && inclusive)) {
                    stack[depth++] = n; // in range below: visit it after its left subtree
                    n = n.left;
                } else {
                    n = n.right;
                }
            }
        }

        @Override
        public boolean hasNext() {
            return depth > 0 && (toExclusive == null || stack[depth - 1].key.compareTo(toExclusive) < 0);
        }

        @Override
        public V next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Node<K, V> n = stack[--depth];
            for (Node<K, V> m = n.right; m != null; m = m.left) {
                stack[depth++] = m;
            }
            return n.value;
        }
    }
}
