package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ratchet.state.CommandResult;
import dev.ratchet.state.CommandResultCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The forwarded batch's wire form: round trips, and every kind of malformed frame refused by name. */
class ForwardBatchCodecTest {

    @Test
    void aRequestRoundTripsInOrder() {
        List<byte[]> proposals = List.of(new byte[] {1, 2, 3}, new byte[0], new byte[] {9});
        List<byte[]> back = ForwardBatchCodec.decodeRequest(ForwardBatchCodec.encodeRequest(proposals));
        assertThat(back).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(back.get(i)).containsExactly(proposals.get(i));
        }
    }

    @Test
    void anAnswerRoundTripsAppliedAndFailedOutcomes() {
        byte[] result = CommandResultCodec.encode(42, new CommandResult.Done(42));
        List<ForwardOutcome> outcomes = List.of(new ForwardOutcome.Applied(result),
                new ForwardOutcome.Failed(ForwardOutcome.Failure.NOT_LEADER, "n3~abc"),
                new ForwardOutcome.Failed(ForwardOutcome.Failure.UNKNOWN, "x".repeat(5000)));
        List<ForwardOutcome> back = ForwardBatchCodec.decodeAnswer(ForwardBatchCodec.encodeAnswer(outcomes), 3);
        assertThat(((ForwardOutcome.Applied) back.get(0)).result()).containsExactly(result);
        assertThat(CommandResultCodec.decode(((ForwardOutcome.Applied) back.get(0)).result()).index()).isEqualTo(42);
        assertThat(back.get(1)).isEqualTo(new ForwardOutcome.Failed(ForwardOutcome.Failure.NOT_LEADER, "n3~abc"));
        ForwardOutcome.Failed cut = (ForwardOutcome.Failed) back.get(2);
        assertThat(cut.failure()).isEqualTo(ForwardOutcome.Failure.UNKNOWN);
        assertThat(cut.detail()).hasSize(ForwardBatchCodec.MAX_DETAIL_BYTES);
    }

    @Test
    void anotherVersionIsRefusedNamingBothVersions() {
        byte[] frame = ForwardBatchCodec.encodeRequest(List.of(new byte[] {1}));
        frame[0] = 7;
        assertThatThrownBy(() -> ForwardBatchCodec.decodeRequest(frame))
                .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class)
                .hasMessageContaining("version 7").hasMessageContaining("speaks 1");
    }

    @Test
    void countsOutOfRangeAreRefused() {
        assertThatThrownBy(() -> ForwardBatchCodec.decodeRequest(ByteBuffer.allocate(5).put((byte) 1).putInt(0).array()))
                .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class).hasMessageContaining("count 0");
        assertThatThrownBy(() -> ForwardBatchCodec.decodeRequest(ByteBuffer.allocate(5).put((byte) 1)
                .putInt(ForwardBatchCodec.MAX_COUNT + 1).array()))
                .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class).hasMessageContaining("outside");
        assertThatThrownBy(() -> ForwardBatchCodec.encodeRequest(List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lengthsPastTheEndTruncationAndLeftoverBytesAreRefused() {
        byte[] frame = ForwardBatchCodec.encodeRequest(List.of(new byte[] {1, 2}, new byte[] {3}));
        byte[] lying = frame.clone();
        ByteBuffer.wrap(lying).putInt(5, 1000);
        assertThatThrownBy(() -> ForwardBatchCodec.decodeRequest(lying))
                .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class).hasMessageContaining("proposal 0 claims 1000 bytes");
        byte[] negative = frame.clone();
        ByteBuffer.wrap(negative).putInt(5, -1);
        assertThatThrownBy(() -> ForwardBatchCodec.decodeRequest(negative))
                .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class).hasMessageContaining("claims -1 bytes");
        for (int cut = 0; cut < frame.length; cut++) {
            byte[] truncated = Arrays.copyOf(frame, cut);
            assertThatThrownBy(() -> ForwardBatchCodec.decodeRequest(truncated))
                    .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class);
        }
        byte[] longer = Arrays.copyOf(frame, frame.length + 2);
        assertThatThrownBy(() -> ForwardBatchCodec.decodeRequest(longer))
                .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class).hasMessageContaining("2 bytes after");
    }

    @Test
    void malformedAnswersAreRefused() {
        byte[] answer = ForwardBatchCodec.encodeAnswer(List.of(
                new ForwardOutcome.Failed(ForwardOutcome.Failure.LOST, "gone")));
        assertThatThrownBy(() -> ForwardBatchCodec.decodeAnswer(answer, 2))
                .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class).hasMessageContaining("1 outcomes for a batch of 2");
        byte[] badKind = answer.clone();
        badKind[5] = 9;
        assertThatThrownBy(() -> ForwardBatchCodec.decodeAnswer(badKind, 1))
                .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class).hasMessageContaining("unknown kind 9");
        byte[] badFailure = answer.clone();
        badFailure[6] = 99;
        assertThatThrownBy(() -> ForwardBatchCodec.decodeAnswer(badFailure, 1))
                .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class).hasMessageContaining("failure code 99");
        List<byte[]> truncations = new ArrayList<>();
        for (int cut = 0; cut < answer.length; cut++) {
            truncations.add(Arrays.copyOf(answer, cut));
        }
        for (byte[] t : truncations) {
            assertThatThrownBy(() -> ForwardBatchCodec.decodeAnswer(t, 1))
                    .isInstanceOf(ForwardBatchCodec.MalformedBatchException.class);
        }
    }
}
