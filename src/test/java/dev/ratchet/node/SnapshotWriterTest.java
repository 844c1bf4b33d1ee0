package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.ratchet.raft.ConfState;
import dev.ratchet.raft.Snapshot;
import dev.ratchet.raft.SnapshotMetadata;
import dev.ratchet.raft.StorageException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SnapshotWriterTest {

    private static final Snapshot SNAPSHOT = new Snapshot(new SnapshotMetadata(5, 1, ConfState.EMPTY), new byte[] {1});

    @Test
    void aWrittenSnapshotIsHandedBackOnceAndTheWriterIsFreeAgain() {
        AtomicInteger wakes = new AtomicInteger();
        try (SnapshotWriter writer = new SnapshotWriter("n1", new ForwardingStorage(), wakes::incrementAndGet)) {
            writer.submit(SNAPSHOT);
            assertThat(writer.busy()).isTrue();
            assertThatThrownBy(() -> writer.submit(SNAPSHOT)).isInstanceOf(IllegalStateException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() == 1);
            assertThat(writer.pollWritten()).isSameAs(SNAPSHOT);
            assertThat(writer.busy()).isFalse();
            assertThat(writer.pollWritten()).isNull();
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
            writer.submit(SNAPSHOT);
            await().atMost(Duration.ofSeconds(10)).until(() -> wakes.get() == 1);
            assertThatThrownBy(writer::pollWritten).isInstanceOf(StorageException.class)
                    .hasMessageContaining("Direct buffer memory");
            assertThat(writer.busy()).isFalse();
        }
    }
}
