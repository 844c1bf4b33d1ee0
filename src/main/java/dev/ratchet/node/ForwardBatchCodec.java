package dev.ratchet.node;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of a batch of proposals a follower forwards to the leader in one call
 * ({@link PeerRequestTypes#FORWARD_PROPOSALS}) and of the leader's answer, one outcome per proposal in
 * the same order. Both start with a format version byte so a later format can be told apart; a peer that
 * sends anything else gets a {@link MalformedBatchException} naming what is wrong. Stateless, thread-safe.
 *
 * <pre>
 * request:  version(1) count(int, 1..MAX_COUNT) { length(int) encodedProposal[length] } * count
 * answer:   version(1) count(int)               { 0 length(int) encodedResult[length]
 *                                               | 1 failureCode(byte) detailLength(short) utf8Detail } * count
 * </pre>
 */
final class ForwardBatchCodec {

    static final byte VERSION = 1;
    /** Most proposals one batch may carry. */
    static final int MAX_COUNT = 1024;
    /** Longest failure detail carried, in UTF-8 bytes; longer ones are cut. */
    static final int MAX_DETAIL_BYTES = 1024;
    private static final byte APPLIED = 0;
    private static final byte FAILED = 1;

    /** Bytes that are not a valid batch or batch answer: the whole frame is refused, nothing in it used. */
    static final class MalformedBatchException extends IllegalArgumentException {
        MalformedBatchException(String message) {
            super(message);
        }
    }

    private ForwardBatchCodec() {
    }

    /** The request carrying {@code proposals} (each already {@code CommandCodec}-encoded). */
    static byte[] encodeRequest(List<byte[]> proposals) {
        if (proposals.isEmpty() || proposals.size() > MAX_COUNT) {
            throw new IllegalArgumentException("a batch carries 1 to " + MAX_COUNT + " proposals, not " + proposals.size());
        }
        int size = 1 + 4;
        for (byte[] p : proposals) {
            size += 4 + p.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(VERSION).putInt(proposals.size());
        for (byte[] p : proposals) {
            out.putInt(p.length).put(p);
        }
        return out.array();
    }

    /**
     * The encoded proposals of a request, in order.
     *
     * @throws MalformedBatchException on an unknown version, a count out of range, a length that runs past
     *         the end, or bytes left over
     */
    static List<byte[]> decodeRequest(byte[] payload) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            int count = header(in, "batch");
            if (count < 1 || count > MAX_COUNT) {
                throw new MalformedBatchException("batch count " + count + " is outside 1.." + MAX_COUNT);
            }
            List<byte[]> proposals = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                proposals.add(lengthPrefixed(in, "proposal " + i));
            }
            requireEnd(in, "batch");
            return proposals;
        } catch (BufferUnderflowException e) {
            throw new MalformedBatchException("batch of " + payload.length + " bytes is truncated");
        }
    }

    /** The answer with one outcome per proposal, in the order of the request. */
    static byte[] encodeAnswer(List<ForwardOutcome> outcomes) {
        List<byte[]> details = new ArrayList<>(outcomes.size());
        int size = 1 + 4;
        for (ForwardOutcome o : outcomes) {
            if (o instanceof ForwardOutcome.Applied a) {
                size += 1 + 4 + a.result().length;
                details.add(null);
            } else {
                byte[] detail = detailBytes(((ForwardOutcome.Failed) o).detail());
                size += 1 + 1 + 2 + detail.length;
                details.add(detail);
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size).put(VERSION).putInt(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            if (outcomes.get(i) instanceof ForwardOutcome.Applied a) {
                out.put(APPLIED).putInt(a.result().length).put(a.result());
            } else {
                ForwardOutcome.Failed f = (ForwardOutcome.Failed) outcomes.get(i);
                out.put(FAILED).put(f.failure().code).putShort((short) details.get(i).length).put(details.get(i));
            }
        }
        return out.array();
    }

    /**
     * The outcomes of an answer.
     *
     * @throws MalformedBatchException unless the answer is well formed with exactly {@code expected} outcomes
     */
    static List<ForwardOutcome> decodeAnswer(byte[] payload, int expected) {
        ByteBuffer in = ByteBuffer.wrap(payload);
        try {
            int count = header(in, "answer");
            if (count != expected) {
                throw new MalformedBatchException("answer has " + count + " outcomes for a batch of " + expected);
            }
            List<ForwardOutcome> outcomes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte kind = in.get();
                if (kind == APPLIED) {
                    outcomes.add(new ForwardOutcome.Applied(lengthPrefixed(in, "result " + i)));
                } else if (kind == FAILED) {
                    byte code = in.get();
                    ForwardOutcome.Failure failure = ForwardOutcome.Failure.fromCode(code);
                    if (failure == null) {
                        throw new MalformedBatchException("outcome " + i + " has unknown failure code " + code);
                    }
                    int length = Short.toUnsignedInt(in.getShort());
                    if (length > in.remaining()) {
                        throw new MalformedBatchException("outcome " + i + " detail runs past the end");
                    }
                    byte[] detail = new byte[length];
                    in.get(detail);
                    outcomes.add(new ForwardOutcome.Failed(failure, new String(detail, StandardCharsets.UTF_8)));
                } else {
                    throw new MalformedBatchException("outcome " + i + " has unknown kind " + kind);
                }
            }
            requireEnd(in, "answer");
            return outcomes;
        } catch (BufferUnderflowException e) {
            throw new MalformedBatchException("answer of " + payload.length + " bytes is truncated");
        }
    }

    private static int header(ByteBuffer in, String what) {
        byte version = in.get();
        if (version != VERSION) {
            throw new MalformedBatchException(what + " format version " + version + " is not supported (this node speaks "
                    + VERSION + ")");
        }
        return in.getInt();
    }

    private static byte[] lengthPrefixed(ByteBuffer in, String what) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new MalformedBatchException(what + " claims " + length + " bytes but " + in.remaining() + " remain");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static void requireEnd(ByteBuffer in, String what) {
        if (in.hasRemaining()) {
            throw new MalformedBatchException(what + " has " + in.remaining() + " bytes after its last item");
        }
    }

    private static byte[] detailBytes(String detail) {
        byte[] bytes = (detail == null ? "" : detail).getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_DETAIL_BYTES) {
            return bytes;
        }
        // Cut on a character boundary so the far side decodes valid UTF-8.
        String cut = new String(bytes, 0, MAX_DETAIL_BYTES, StandardCharsets.UTF_8);
        while (cut.getBytes(StandardCharsets.UTF_8).length > MAX_DETAIL_BYTES) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut.getBytes(StandardCharsets.UTF_8);
    }
}
