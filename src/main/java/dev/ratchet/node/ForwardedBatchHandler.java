package dev.ratchet.node;

import dev.ratchet.join.RaftIds;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.CommandResultCodec;
import dev.ratchet.state.Proposal;
import dev.ratchet.transport.RequestHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's side of {@link PeerRequestTypes#FORWARD_PROPOSALS}: proposes every proposal of a
 * follower's batch in one driver step and answers once all of them are applied or failed, one outcome
 * each. A malformed batch, or one carrying a proposal whose origin is not the sending peer, is refused
 * whole (nothing in it is proposed) with an error naming the fault; the connection and everything else
 * carry on. Called from the transport's handler pool, several threads at once; never blocks.
 */
final class ForwardedBatchHandler implements RequestHandler {

    private static final Logger log = LoggerFactory.getLogger(ForwardedBatchHandler.class);

    private final RaftDriver driver;
    private final LongAdder refused;

    /** @param refused counts batches refused as malformed or for a foreign origin */
    ForwardedBatchHandler(RaftDriver driver, LongAdder refused) {
        this.driver = driver;
        this.refused = refused;
    }

    @Override
    public CompletionStage<byte[]> handle(String peerId, byte[] payload) {
        List<Proposal> proposals;
        try {
            proposals = decode(peerId, payload);
        } catch (IllegalArgumentException e) {
            refused.increment();
            log.warn("refused a forwarded batch from {}: {}", peerId, e.getMessage());
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "malformed forwarded batch refused, nothing in it was proposed: " + e.getMessage()));
        }
        List<CompletableFuture<AppliedEntry>> applied = driver.proposeAll(proposals);
        return CompletableFuture.allOf(applied.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            List<ForwardOutcome> outcomes = new ArrayList<>(applied.size());
            for (CompletableFuture<AppliedEntry> f : applied) {
                outcomes.add(outcome(f));
            }
            return ForwardBatchCodec.encodeAnswer(outcomes);
        });
    }

    private static List<Proposal> decode(String peerId, byte[] payload) {
        List<byte[]> encoded = ForwardBatchCodec.decodeRequest(payload);
        List<Proposal> proposals = new ArrayList<>(encoded.size());
        for (int i = 0; i < encoded.size(); i++) {
            Proposal p;
            try {
                p = CommandCodec.decode(encoded.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("proposal " + i + " does not decode: " + e.getMessage(), e);
            }
            if (!RaftIds.nodeId(p.origin()).equals(peerId)) {
                throw new IllegalArgumentException("proposal " + i + " has origin " + p.origin()
                        + ", not the sending peer " + peerId);
            }
            proposals.add(p);
        }
        return proposals;
    }

    private static ForwardOutcome outcome(CompletableFuture<AppliedEntry> f) {
        try {
            AppliedEntry a = f.join();
            return new ForwardOutcome.Applied(CommandResultCodec.encode(a.index(), a.result()));
        } catch (CompletionException e) {
            return ForwardOutcome.Failed.of(e.getCause() == null ? e : e.getCause());
        } catch (RuntimeException e) {
            return ForwardOutcome.Failed.of(e);
        }
    }
}
