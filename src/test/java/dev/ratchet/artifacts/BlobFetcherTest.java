package dev.ratchet.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.node.PeerRequestTypes;
import dev.ratchet.transport.PeerTransport;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetching a blob over real peer transports (loopback, no TLS): bytes that do not hash to the etag are
 * never published, and the fetcher moves on to another peer.
 */
class BlobFetcherTest {

    @TempDir
    Path dir;

    private final LoopbackPeers peers = new LoopbackPeers();
    private final byte[] content = new byte[3 * 1024 * 1024 + 17];
    private PeerTransport me;
    private PeerTransport liar;
    private PeerTransport honest;
    private final AtomicInteger liarAsked = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        new SplittableRandom(5).nextBytes(content);
        List<PeerTransport> t = peers.create("me", "liar", "honest");
        me = t.get(0);
        liar = t.get(1);
        honest = t.get(2);
        // Same length as the real content, different bytes: only the digest can tell.
        liar.registerStreamHandler(PeerRequestTypes.FETCH_BLOB, (peer, payload, sink) -> {
            liarAsked.incrementAndGet();
            byte[] fake = content.clone();
            fake[fake.length / 2] ^= 1;
            for (int off = 0; off < fake.length; off += 1024 * 1024) {
                sink.send(Arrays.copyOfRange(fake, off, Math.min(fake.length, off + 1024 * 1024)));
            }
        });
    }

    @AfterEach
    void tearDown() {
        peers.close();
    }

    private BlobServer honestServer() throws Exception {
        BlobStore store = new BlobStore(dir.resolve("honest"));
        EtagIndex index = new EtagIndex(store, System::nanoTime);
        index.publishPinned(store.stage(new ByteArrayInputStream(content), content.length, Long.MAX_VALUE));
        return new BlobServer(store, index, 2, 1024 * 1024);
    }

    @Test
    void wrongBytesAreRejectedAndAnotherPeerDelivers() throws Exception {
        honest.registerStreamHandler(PeerRequestTypes.FETCH_BLOB, honestServer());
        peers.start();
        BlobStore store = new BlobStore(dir.resolve("me"));
        EtagIndex index = new EtagIndex(store, System::nanoTime);
        String etag = BlobStoreTestSupport.sha256Hex(content);
        try (BlobFetcher fetcher = new BlobFetcher("me", store, index, me, () -> List.of("liar", "honest"), 1, 10,
                Duration.ofSeconds(30))) {
            fetcher.offer(index.want(etag, content.length, "liar"));
            await().atMost(Duration.ofSeconds(30)).until(() -> index.isLocal(etag));
            assertThat(liarAsked.get()).as("the holder is asked first").isGreaterThanOrEqualTo(1);
            assertThat(fetcher.fetched.sum()).isEqualTo(1);
            assertThat(fetcher.failures.sum()).isZero();
        }
        try (FileChannel ch = store.open(etag)) {
            ByteBuffer got = ByteBuffer.allocate(content.length);
            while (got.hasRemaining() && ch.read(got) >= 0) {
                // read all
            }
            assertThat(got.array()).isEqualTo(content);
        }
        assertThat(store.temporaryFiles()).isZero();
    }

    @Test
    void whenEveryPeerLiesNothingIsPublishedAndTheBlobStaysWanted() throws Exception {
        honest.registerStreamHandler(PeerRequestTypes.FETCH_BLOB, (peer, payload, sink) -> {
            throw new java.io.IOException("blob not held here");
        });
        peers.start();
        BlobStore store = new BlobStore(dir.resolve("me"));
        EtagIndex index = new EtagIndex(store, System::nanoTime);
        String etag = BlobStoreTestSupport.sha256Hex(content);
        try (BlobFetcher fetcher = new BlobFetcher("me", store, index, me, () -> List.of("liar", "honest"), 1, 10,
                Duration.ofSeconds(30))) {
            fetcher.offer(index.want(etag, content.length, "liar"));
            await().atMost(Duration.ofSeconds(30)).until(() -> fetcher.failures.sum() == 1);
            assertThat(liarAsked.get()).isEqualTo(BlobFetcher.ROUNDS);
        }
        assertThat(index.isLocal(etag)).isFalse();
        assertThat(index.counts().wanted()).isEqualTo(1);
        assertThat(index.counts().fetching()).isZero();
        assertThat(index.want(etag, content.length, "liar")).as("a later round may try again").isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.temporaryFiles() == 0);
        assertThat(store.scan()).isEmpty();
    }

    @Test
    void aReplicaWithoutRoomIsNotFetchedAndStaysWanted() throws Exception {
        honest.registerStreamHandler(PeerRequestTypes.FETCH_BLOB, honestServer());
        peers.start();
        BlobStore store = new BlobStore(dir.resolve("me"));
        EtagIndex index = new EtagIndex(store, System::nanoTime);
        String etag = BlobStoreTestSupport.sha256Hex(content);
        StorageBudget budget = new StorageBudget(new StorageLimits(content.length - 1, 0),
                () -> index.counts().localBytes(), () -> Long.MAX_VALUE);
        try (BlobFetcher fetcher = new BlobFetcher("me", store, index, me, () -> List.of("honest"), 1, 10,
                Duration.ofSeconds(30), budget)) {
            fetcher.offer(index.want(etag, content.length, "honest"));
            await().atMost(Duration.ofSeconds(30)).until(() -> fetcher.refusedForRoom.sum() == 1);
            assertThat(index.counts().fetching()).isZero();
            assertThat(index.isLocal(etag)).isFalse();
            assertThat(fetcher.bytesFetched.sum()).as("not one byte asked for").isZero();
            assertThat(store.temporaryFiles()).isZero();
            EtagIndex.FetchTask again = index.want(etag, content.length, "honest");
            assertThat(again).as("a later round may try again").isNotNull();
        }
    }
}
