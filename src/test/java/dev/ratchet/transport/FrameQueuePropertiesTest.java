package dev.ratchet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The send queue against a simple model: both limits hold, nothing is lost or reordered, batches fit. */
class FrameQueuePropertiesTest {

    @Property(tries = 300)
    void acceptsExactlyWhatFitsAndDrainsItInOrderInBoundedBatches(
            @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 300) Integer> payloadSizes,
            @ForAll @IntRange(min = 1, max = 20) int maxFrames,
            @ForAll @IntRange(min = 20, max = 3000) int maxBytes,
            @ForAll @IntRange(min = 1, max = 1000) int maxBatchBytes) throws InterruptedException {
        FrameQueue queue = new FrameQueue(maxFrames, maxBytes);
        List<Frame> expected = new ArrayList<>();
        long modelBytes = 0;
        for (int i = 0; i < payloadSizes.size(); i++) {
            Frame frame = new Frame(FrameType.MESSAGE, i, 0, new byte[payloadSizes.get(i)]);
            boolean fits = expected.size() < maxFrames && modelBytes + frame.wireSize() <= maxBytes;
            assertThat(queue.offer(frame)).isEqualTo(fits);
            if (fits) {
                expected.add(frame);
                modelBytes += frame.wireSize();
            }
        }
        assertThat(queue.size()).isEqualTo(expected.size());

        List<Frame> drained = new ArrayList<>();
        while (queue.size() > 0) {
            List<Frame> batch = queue.takeBatch(maxBatchBytes, () -> false);
            assertThat(batch).isNotEmpty();
            if (batch.size() > 1) {
                assertThat(batch.stream().mapToLong(Frame::wireSize).sum()).isLessThanOrEqualTo(maxBatchBytes);
            }
            drained.addAll(batch);
        }
        assertThat(drained).isEqualTo(expected);
        assertThat(queue.takeBatch(maxBatchBytes, () -> true)).isEmpty();
        assertThat(queue.offer(new Frame(FrameType.MESSAGE, 0, 0, new byte[0]))).isTrue();
    }
}
