package dev.ratchet.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ratchet.state.Change;
import dev.ratchet.state.ChangeBatch;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodedBatchesTest {

    private static ChangeBatch batch(long revision, String key, int valueBytes) {
        return new ChangeBatch(revision, List.of(new Change(Change.Type.PUT, key, new byte[valueBytes], "e" + revision,
                revision, revision, 0)));
    }

    @Test
    void aBatchIsEncodedOnceForEveryWatcherOfItsPrefixAsOneSseFrame() {
        EncodedBatches cache = new EncodedBatches(16, 1 << 20);
        ChangeBatch b = batch(7, "app/x", 3);
        byte[] first = cache.frame("app/", b);
        assertThat(cache.frame("app/", b)).as("the same bytes, not a second encoding").isSameAs(first);
        assertThat(cache.frame("", b)).as("another prefix has its own entry").isNotSameAs(first).isEqualTo(first);
        String text = new String(first, StandardCharsets.UTF_8);
        assertThat(text).startsWith("id:7\nevent:change\ndata:{\"revision\":7,").endsWith("}\n\n");
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(4);
    }

    @Test
    void theCacheForgetsOldestRevisionsFirstWithinItsBounds() {
        EncodedBatches byCount = new EncodedBatches(3, 1 << 20);
        byte[] oldest = byCount.frame("", batch(1, "k", 1));
        for (long r = 2; r <= 4; r++) {
            byCount.frame("", batch(r, "k", 1));
        }
        assertThat(byCount.frame("", batch(1, "k", 1))).as("revision 1 was evicted, so encoded again").isNotSameAs(oldest);

        EncodedBatches byBytes = new EncodedBatches(1000, 16 * 1024);
        for (long r = 1; r <= 100; r++) {
            byBytes.frame("", batch(r, "k", 600));
            assertThat(byBytes.bytes()).isLessThanOrEqualTo(16 * 1024);
        }
        assertThat(byBytes.bytes()).isPositive();
    }

    @Test
    void aBatchTooLargeToShareIsEncodedButNotKept() {
        EncodedBatches cache = new EncodedBatches(16, 16 * 1024);
        byte[] big = cache.frame("", batch(1, "k", 4096));
        assertThat(new String(big, StandardCharsets.UTF_8)).startsWith("id:1\n");
        assertThat(cache.bytes()).isZero();
    }

    @Test
    void aFrameWithoutAnIdDoesNotMoveTheResumePoint() {
        assertThat(new String(SseFrames.frame(null, "cancelled", "{}"), StandardCharsets.UTF_8))
                .isEqualTo("event:cancelled\ndata:{}\n\n");
    }
}
