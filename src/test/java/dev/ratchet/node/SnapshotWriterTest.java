package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import dev.ratchet.raft.StorageException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapshotWriterTest {

    private static final SnapshotMetadata METADATA = new SnapshotMetadata(5, 1, ConfState.EMPTY);
    private static final CapturedSnapshot CAPTURED = new CapturedSnapshot(METADATA, () -> new byte[] {1});

    @Test
    void aWrittenSnapshotIsHandedBackOnceAndTheWriterIsFreeAgain() {
        AtomicInteger wakes = new AtomicInteger();
        Set<Thread> encodedOn = ConcurrentHashMap.newKeySet();
        AtomicInteger encodings = new AtomicInteger();
        CapturedSnapshot captured = new CapturedSnapshot(METADATA, () -> {
            encodedOn.add(Thread.currentThread());
            encodings.incrementAndGet();
            return new byte[] {1, 2};
        });
        try (SnapshotWriter writer = new SnapshotWriter("n1", new ForwardingStorage(), wakes::incrementAndGet)) {
            writer.submit(captured);
            assertThat(writer.busy()).isTrue();
            assertThatThrownBy(() -> writer.submit(CAPTURED)).isInstanceOf(IllegalStateException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() == 1);
            Snapshot written = writer.pollWritten();
            assertThat(written.metadata()).isEqualTo(METADATA);
            assertThat(written.data()).containsExactly(1, 2);
            assertThat(encodings).as("encoded once").hasValue(1);
            assertThat(encodedOn).as("on the writer's thread").doesNotContain(Thread.currentThread());
            assertThat(writer.busy()).isFalse();
            assertThat(writer.pollWritten()).isNull();
        }
    }

    @Test
    void aFailedEncodingIsHandedBackAsItsException() {
        AtomicInteger wakes = new AtomicInteger();
        CapturedSnapshot broken = new CapturedSnapshot(METADATA, () -> {
            throw new IllegalStateException("cannot encode");
        });
        try (SnapshotWriter writer = new SnapshotWriter("n1", new ForwardingStorage(), wakes::incrementAndGet)) {
            writer.submit(broken);
            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() == 1);
            assertThatThrownBy(writer::pollWritten).isInstanceOf(IllegalStateException.class)
                    .hasMessage("cannot encode");
            assertThat(writer.busy()).isFalse();
        }
    }

    /** An Error on the writer thread stops the driver as a storage failure instead of leaving the writer busy. */
    @Test
    void anErrorWhileWritingIsReportedAsAStorageFailure() {
        ForwardingStorage failing = new ForwardingStorage() {
            @Override
            public void writeSnapshotFile(Snapshot snapshot) {
                throw new OutOfMemoryError("Direct buffer memory");
            }
        };
        AtomicInteger wakes = new AtomicInteger();
        try (SnapshotWriter writer = new SnapshotWriter("n1", failing, wakes::incrementAndGet)) {
            writer.submit(CAPTURED);
            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() == 1);
            assertThatThrownBy(writer::pollWritten).isInstanceOf(StorageException.class)
                    .hasMessageContaining("Direct buffer memory");
            assertThat(writer.busy()).isFalse();
        }
    }
}
