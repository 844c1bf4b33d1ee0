package dev.ratchet.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random interleavings of uploads, pin releases, index changes and garbage collection against a model:
 * a pinned or referenced blob is never collected, an unreferenced one is collected once released and
 * past the grace period, and the index always agrees with the disk.
 */
class EtagIndexPropertiesTest {

    private static final long GRACE = 50;

    @Property(tries = 100)
    void collectionNeverTakesAPinnedOrReferencedBlob(
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 39) Integer> ops) throws Exception {
        Path dir = Files.createTempDirectory("etag-index-prop");
        try {
            AtomicLong now = new AtomicLong(1_000);
            BlobStore store = new BlobStore(dir.resolve("blobs"));
            EtagIndex index = new EtagIndex(store, now::get);
            List<EtagIndex.Pin> pins = new ArrayList<>();
            Map<String, Integer> openPins = new HashMap<>();
            Set<String> referenced = new HashSet<>();
            for (int op : ops) {
                now.addAndGet(10);
                int content = op % 4;
                String etag;
                byte[] body = ("content-" + content).getBytes(StandardCharsets.UTF_8);
                etag = BlobStoreTestSupport.sha256Hex(body);
                switch (op / 8) {
                    case 0 -> {
                        pins.add(index.publishPinned(store.stage(new ByteArrayInputStream(body), body.length, 100)));
                        openPins.merge(etag, 1, Integer::sum);
                    }
                    case 1 -> {
                        if (!pins.isEmpty()) {
                            EtagIndex.Pin p = pins.remove(op % pins.size());
                            p.close();
                            openPins.merge(p.etag(), -1, Integer::sum);
                        }
                    }
                    case 2 -> referenced.add(etag);
                    case 3 -> referenced.remove(etag);
                    default -> {
                        Set<String> before = localEtags(store);
                        index.collectGarbage(Set.copyOf(referenced), now.get(), GRACE);
                        Set<String> after = localEtags(store);
                        for (String e : before) {
                            if (referenced.contains(e) || openPins.getOrDefault(e, 0) > 0) {
                                assertThat(after).as("kept " + e).contains(e);
                            }
                        }
                    }
                }
                Set<String> onDisk = localEtags(store);
                assertThat(index.counts().localBlobs()).isEqualTo(onDisk.size());
                for (String e : onDisk) {
                    assertThat(index.isLocal(e)).isTrue();
                }
            }
            pins.forEach(EtagIndex.Pin::close);
            now.addAndGet(GRACE + 1);
            index.collectGarbage(Set.copyOf(referenced), now.get(), GRACE);
            assertThat(localEtags(store)).as("only referenced blobs survive").isSubsetOf(referenced);
            assertThat(store.temporaryFiles()).isZero();
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Set<String> localEtags(BlobStore store) throws Exception {
        Set<String> out = new HashSet<>();
        store.scan().forEach(s -> out.add(s.etag()));
        return out;
    }
}
