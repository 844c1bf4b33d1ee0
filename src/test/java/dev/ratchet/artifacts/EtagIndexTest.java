package dev.ratchet.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtagIndexTest {

    @TempDir
    Path dir;

    private final AtomicLong now = new AtomicLong(1_000_000);
    private BlobStore store;
    private EtagIndex index;

    @BeforeEach
    void open() throws Exception {
        store = new BlobStore(dir.resolve("blobs"));
        index = new EtagIndex(store, now::get);
    }

    private BlobStore.Staged stage(String content) throws Exception {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        return store.stage(new ByteArrayInputStream(b), b.length, 1 << 20);
    }

    @Test
    void pinnedBlobSurvivesCollectionUntilReleasedAndGraceHasPassed() throws Exception {
        EtagIndex.Pin pin = index.publishPinned(stage("upload"));
        now.addAndGet(10_000);
        assertThat(index.collectGarbage(Set.of(), now.get(), 0)).isZero();
        pin.close();
        assertThat(index.collectGarbage(Set.of(), now.get(), 1_000)).as("released within the grace").isZero();
        now.addAndGet(10_000);
        assertThat(index.collectGarbage(Set.of(pin.etag()), now.get(), 1_000)).as("referenced").isZero();
        assertThat(index.collectGarbage(Set.of(), now.get(), 1_000)).isEqualTo(1);
        assertThat(index.isLocal(pin.etag())).isFalse();
        assertThat(store.scan()).isEmpty();
        assertThat(index.counts().localBytes()).isZero();
    }

    @Test
    void anIndexReadTakenBeforeAnUploadWasReleasedDoesNotCollectIt() throws Exception {
        long indexReadAt = now.get();
        EtagIndex.Pin pin = index.publishPinned(stage("racing upload"));
        now.addAndGet(5);
        pin.close();
        // The reconciler read the replicated index (without this put) before the release.
        assertThat(index.collectGarbage(Set.of(), indexReadAt, 0)).isZero();
        assertThat(index.isLocal(pin.etag())).isTrue();
    }

    @Test
    void aWantedBlobIsQueuedOnceUntilItsFetchFails() throws Exception {
        BlobStore.Staged staged = stage("remote");
        String etag = staged.etag();
        EtagIndex.FetchTask task = index.want(etag, staged.size(), "n1");
        assertThat(task).isEqualTo(new EtagIndex.FetchTask(etag, staged.size(), "n1"));
        assertThat(index.want(etag, staged.size(), "n1")).as("already queued").isNull();
        index.notQueued(etag);
        assertThat(index.want(etag, staged.size(), "n1")).isNotNull();
        assertThat(index.startFetch(etag)).isTrue();
        assertThat(index.want(etag, staged.size(), "n1")).as("being fetched").isNull();
        assertThat(index.counts().fetching()).isEqualTo(1);
        index.fetchFailed(etag);
        assertThat(index.want(etag, staged.size(), "n1")).as("retried by a later round").isNotNull();
        index.publishFetched(staged);
        assertThat(index.startFetch(etag)).as("arrived meanwhile").isFalse();
        assertThat(index.counts().wanted()).isZero();
        assertThat(index.want(etag, staged.size(), "n1")).isNull();
    }

    @Test
    void arrivalCallbacksRunAfterTheLockIsReleased() throws Exception {
        BlobStore.Staged staged = stage("awaited");
        CompletableFuture<Void> arrival = index.arrival(staged.etag());
        assertThat(arrival).isNotDone();
        // A callback that needs the index from another thread would deadlock if run under the lock.
        CompletableFuture<Long> seenByOtherThread = arrival.thenApply(v -> {
            CompletableFuture<Long> other = CompletableFuture.supplyAsync(() -> index.counts().localBlobs());
            try {
                return other.get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("index lock was held while completing the arrival", e);
            }
        });
        index.publishFetched(staged);
        assertThat(seenByOtherThread.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void waitingForABlobWhoseArtifactWasRemovedFails() throws Exception {
        String etag = stage("gone").etag();
        index.want(etag, 4, "n1");
        CompletableFuture<Void> arrival = index.arrival(etag);
        index.collectGarbage(Set.of(), now.get(), 0);
        assertThatThrownBy(() -> arrival.get(1, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(EtagIndex.ArtifactRemovedException.class);
        assertThat(index.counts().wanted()).isZero();
    }

    @Test
    void seededBlobsAreIndexedWithTheirSizes() throws Exception {
        BlobStore.Staged a = stage("a");
        store.publish(a);
        BlobStore.Staged bc = stage("bc");
        store.publish(bc);
        EtagIndex fresh = new EtagIndex(store, now::get);
        fresh.seed(store.scan());
        assertThat(fresh.counts()).isEqualTo(new EtagIndex.Counts(2, 3, 0, 0));
    }
}
