package dev.ratchet.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ratchet.raft.MemoryStorage;
import dev.ratchet.raft.RaftConfig;
import dev.ratchet.raft.RaftCore;
import dev.ratchet.raft.Role;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandCodec;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.CommandResultCodec;
import dev.ratchet.state.Proposal;
import dev.ratchet.transport.PeerTransport;
import dev.ratchet.transport.PlainTransports;
import dev.ratchet.transport.TransportException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A follower's bridge forwarding to a leader's bridge over real loopback transports: concurrent writes
 * and reads leave in batches, a malformed batch frame gets a clear error on a connection that stays up,
 * and a leader without the batch request (an older version) still gets the writes, one call each.
 */
class ForwardingOverTheWireTest {

    private static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 20 : 60);

    private RaftDriver leaderDriver;
    private ClusterState leaderState;
    private RaftPeerBridge leader;
    private RaftPeerBridge follower;
    private PlainTransports transports;

    private void start(boolean leaderKnowsBatches) throws Exception {
        MemoryStorage storage = new MemoryStorage();
        RaftCore.bootstrap(storage, List.of("n1~a"));
        RaftCore core = new RaftCore(RaftConfig.defaults("n1~a"), storage, new SplittableRandom(3));
        leaderState = new ClusterState();
        leaderDriver = new RaftDriver(core, storage, leaderState, m -> { },
                new RaftDriver.Settings(Duration.ofMillis(10), 10_000, 4096), System::nanoTime);
        transports = new PlainTransports(t -> { }, "n1", "n2");
        PeerTransport n1 = transports.transport("n1");
        leader = new RaftPeerBridge(n1, "n1~a", WAIT);
        if (leaderKnowsBatches) {
            leader.attach(leaderDriver);
        } else {
            // What a leader from before batching answers: FORWARD_PROPOSAL only, one proposal per call.
            n1.registerHandler(PeerRequestTypes.FORWARD_PROPOSAL, (peer, payload) -> leaderDriver
                    .propose(CommandCodec.decode(payload)).thenApply(a -> CommandResultCodec.encode(a.index(), a.result())));
        }
        follower = new RaftPeerBridge(transports.transport("n2"), "n2~b", WAIT);
        leaderDriver.start();
        await().atMost(WAIT).until(() -> leaderDriver.status().role() == Role.LEADER);
    }

    @AfterEach
    void stop() {
        if (leaderDriver != null) {
            leaderDriver.close();
        }
        if (transports != null) {
            transports.close();
        }
        if (follower != null) {
            follower.close();
            leader.close();
        }
    }

    private static Proposal put(long id, String key) {
        return new Proposal("n2~b", id, new Command.PutKey(key, "v".getBytes(StandardCharsets.UTF_8), null, false));
    }

    private List<CompletableFuture<CommandResultCodec.Applied>> forward(int count) {
        List<CompletableFuture<CommandResultCodec.Applied>> writes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            writes.add(follower.forwardProposal("n1~a", put(i + 1, "k" + i)));
        }
        return writes;
    }

    @Test
    void concurrentWritesAndReadsLeaveInBatchesAndAllComplete() throws Exception {
        start(true);
        List<CompletableFuture<CommandResultCodec.Applied>> writes = forward(50);
        for (CompletableFuture<CommandResultCodec.Applied> w : writes) {
            assertThat(w).succeedsWithin(WAIT).satisfies(a -> assertThat(a.result()).isInstanceOf(CommandResult.Written.class));
        }
        assertThat(writes.stream().map(w -> w.join().index()).distinct()).hasSize(50);
        long[] sent = follower.forwardedProposalBatches();
        assertThat(sent[1]).isEqualTo(50);
        // The first leaves alone at once; the other 49 were queued while it was under way.
        assertThat(sent[0]).isLessThan(25);
        assertThat(leaderState.document("k49")).isNotNull();

        List<CompletableFuture<Long>> reads = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            reads.add(follower.forwardReadIndex("n1~a"));
        }
        long highest = writes.stream().mapToLong(w -> w.join().index()).max().orElseThrow();
        for (CompletableFuture<Long> r : reads) {
            assertThat(r).succeedsWithin(WAIT).satisfies(index -> assertThat(index).isGreaterThanOrEqualTo(highest));
        }
    }

    @Test
    void aMalformedBatchFrameGetsAClearErrorAndTheConnectionCarriesOn() throws Exception {
        start(true);
        assertThat(forward(1).get(0)).succeedsWithin(WAIT);
        PeerTransport n2 = transports.transport("n2");
        long opened = n2.stats().peer("n1").connectionsOpened();
        byte[] garbage = {1, 0, 0, 0, 1, 0, 0, 0, 3, 9, 9, 9};
        CompletableFuture<byte[]> bad = n2.call("n1", PeerRequestTypes.FORWARD_PROPOSALS, garbage, WAIT);
        assertThat(bad).failsWithin(WAIT).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(TransportException.class, e -> assertThat(e.reason())
                        .isEqualTo(TransportException.Reason.REMOTE_FAILURE))
                .withMessageContaining("malformed forwarded batch refused").withMessageContaining("proposal 0");
        assertThat(leader.refusedBatches()).isEqualTo(1);
        assertThat(forward(3)).allSatisfy(w -> assertThat(w).succeedsWithin(WAIT));
        assertThat(n2.stats().peer("n1").connectionsOpened()).isEqualTo(opened);
        assertThat(n2.stats().peer("n1").reconnects()).isZero();
        assertThat(transports.transport("n1").stats().peer("n2").frameErrors()).isZero();
        assertThat(leaderDriver.isAlive()).isTrue();
    }

    @Test
    void aLeaderWithoutBatchesGetsTheWritesOneCallEach() throws Exception {
        start(false);
        List<CompletableFuture<CommandResultCodec.Applied>> writes = forward(10);
        assertThat(writes).allSatisfy(w -> assertThat(w).succeedsWithin(WAIT));
        assertThat(leaderState.document("k9")).isNotNull();
        assertThat(leaderDriver.stats().proposals()).isEqualTo(10);
    }
}
