package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * {@link PersistentSortedMap} agrees with {@link TreeMap} step by step over random puts, removes, lookups and
 * ranges; the tree stays an ordered, balanced AVL tree; and every earlier version of the map is unchanged by
 * what was done to later ones (which is what a snapshot relies on).
 */
class PersistentSortedMapTest {


    /** Few keys (many replacements and removals of present keys) or many (deeper trees, more rotations). */
    @Property(tries = 300)
    void agreesWithTreeMapAndKeepsEveryVersion(@ForAll long seed, @ForAll @IntRange(min = 1, max = 2000) int steps,
            @ForAll boolean manyKeys) {
        Random random = new Random(seed);
        int keySpace = manyKeys ? 4096 : 64;
        PersistentSortedMap<String, String> map = PersistentSortedMap.empty();
        TreeMap<String, String> model = new TreeMap<>();
        List<PersistentSortedMap<String, String>> versions = new ArrayList<>();
        List<Map<String, String>> expectedVersions = new ArrayList<>();
        for (int step = 0; step < steps; step++) {
            String key = key(random, keySpace);
            int op = random.nextInt(10);
            if (op < 6) {
                String value = "v" + step;
                map = map.with(key, value);
                model.put(key, value);
            } else if (op < 9) {
                PersistentSortedMap<String, String> before = map;
                map = map.without(key);
                if (model.remove(key) == null) {
                    assertThat(map).as("removing an absent key gives the same map").isSameAs(before);
                }
            } else {
                assertThat(map.get(key)).isEqualTo(model.get(key));
            }
            assertThat(map.size()).isEqualTo(model.size());
            // The whole tree on small maps at every step; on large ones now and then and at the end (O(n) each).
            if (!manyKeys || step % 50 == 0 || step == steps - 1) {
                map.checkInvariants();
                assertThat(new ArrayList<>(map.values())).isEqualTo(new ArrayList<>(model.values()));
            }
            if (random.nextInt(manyKeys ? 100 : 8) == 0) {
                versions.add(map);
                expectedVersions.add(new TreeMap<>(model));
            }
            if (manyKeys && random.nextInt(10) != 0) {
                continue;
            }
            String from = random.nextBoolean() ? null : key(random, keySpace);
            String to = random.nextBoolean() ? null : key(random, keySpace);
            boolean inclusive = random.nextBoolean();
            assertThat(list(map.range(from, inclusive, to))).as("range %s %s %s", from, inclusive, to)
                    .isEqualTo(new ArrayList<>(range(model, from, inclusive, to).values()));
        }
        for (int i = 0; i < versions.size(); i++) {
            assertThat(new ArrayList<>(versions.get(i).values())).as("version %d", i)
                    .isEqualTo(new ArrayList<>(expectedVersions.get(i).values()));
        }
    }

    @Test
    void aMapBuiltFromSortedValuesIsBalancedAndRefusesDisorder() {
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            values.add(String.format("k%04d", i));
        }
        PersistentSortedMap<String, String> map = PersistentSortedMap.ofSorted(values, v -> v);
        map.checkInvariants();
        assertThat(map.size()).isEqualTo(1000);
        assertThat(map.get("k0500")).isEqualTo("k0500");
        assertThat(new ArrayList<>(map.values())).isEqualTo(values);
        assertThatThrownBy(() -> PersistentSortedMap.ofSorted(List.of("b", "a"), v -> v))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PersistentSortedMap.ofSorted(List.of("a", "a"), v -> v))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sequentialInsertsStayLogarithmicallyDeep() {
        PersistentSortedMap<Integer, Integer> map = PersistentSortedMap.empty();
        for (int i = 0; i < 100_000; i++) {
            map = map.with(i, i);
        }
        map.checkInvariants(); // AVL balance: height <= 1.44 log2(n) + 2, far below what recursion can bear
        for (int i = 0; i < 100_000; i += 2) {
            map = map.without(i);
        }
        map.checkInvariants();
        assertThat(map.size()).isEqualTo(50_000);
        assertThat(map.get(4)).isNull();
        assertThat(map.get(5)).isEqualTo(5);
    }

    private static String key(Random random, int keySpace) {
        return "k" + Integer.toString(random.nextInt(keySpace), 36);
    }

    private static List<String> list(Iterable<String> values) {
        List<String> out = new ArrayList<>();
        values.forEach(out::add);
        return out;
    }

    private static NavigableMap<String, String> range(TreeMap<String, String> model, String from, boolean inclusive,
            String to) {
        NavigableMap<String, String> r = model;
        if (from != null) {
            r = r.tailMap(from, inclusive);
        }
        if (to != null) {
            if (from != null && to.compareTo(from) < 0) {
                return new TreeMap<>();
            }
            r = r.headMap(to, false);
        }
        return r;
    }
}
