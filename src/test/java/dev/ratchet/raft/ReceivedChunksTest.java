package dev.ratchet.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReceivedChunksTest {

    @Property(tries = 200)
    void joinsTheChunksInOrderIntoAnArrayOfExactlyTheirSize(@ForAll @Size(max = 20) List<byte[]> chunks) {
        ReceivedChunks received = new ReceivedChunks();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            assertThat(received.size()).isEqualTo(expected.size());
            received.add(chunk);
            expected.writeBytes(chunk);
        }
        assertThat(received.size()).isEqualTo(expected.size());
        assertThat(received.join()).isEqualTo(expected.toByteArray());
    }

    @Test
    void holdsNothingOnceJoined() {
        ReceivedChunks received = new ReceivedChunks();
        received.add(new byte[] {1, 2, 3});
        received.add(new byte[] {4});
        assertThat(received.join()).containsExactly(1, 2, 3, 4);
        assertThat(received.size()).isZero();
        assertThat(received.join()).isEmpty();
        received.add(new byte[] {5});
        assertThat(received.join()).containsExactly(5);
    }
}
