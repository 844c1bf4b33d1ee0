package dev.ratchet.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class BinaryWriterTest {

    @Property(tries = 1000)
    void theCountedLengthOfAStringIsItsUtf8Length(@ForAll String s) {
        assertThat(BinaryWriter.utf8Length(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        BinaryWriter counter = BinaryWriter.counting().string(s).optionalString(s).optionalString(null);
        BinaryWriter exact = BinaryWriter.exactly(counter.size()).string(s).optionalString(s).optionalString(null);
        byte[] grown = new BinaryWriter(1).string(s).optionalString(s).optionalString(null).toByteArray();
        assertThat(exact.toByteArray()).isEqualTo(grown);
    }

    @Test
    void anExactWriterRefusesToBeOverfilledOrLeftShort() {
        assertThatThrownBy(() -> BinaryWriter.exactly(3).i32(1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BinaryWriter.exactly(5).i32(1).toByteArray()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> BinaryWriter.counting().toByteArray()).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Encoding an image allocates about one image: a doubling buffer plus its trimmed copy allocated four
     * times the image, and a 256 MB node holding 52 MB of 16 KiB documents ran out of heap taking a snapshot.
     */
    @Test
    void encodingAStateImageAllocatesAboutOneImage() {
        List<Document> documents = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            documents.add(new Document("k/%05d".formatted(i), new byte[16 * 1024], "\"e" + i + "\"", i + 1, i + 1));
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        byte[] image = StateSnapshotCodec.encode(7, new byte[0], List.of(), documents, List.of());
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(image.length).isGreaterThan(16_000_000);
        assertThat(allocated).as("bytes allocated to encode an image of %d bytes", image.length)
                .isLessThan(image.length + image.length / 4);
        assertThat(StateSnapshotCodec.decode(image).documents()).hasSize(1000);
    }
}
