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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's handler for forwarded batches on a real single-node driver: a batch is proposed in one
 * driver step with one outcome per proposal; a malformed or foreign batch is refused whole with an error
 * that says why, and the driver goes on serving.
 */
class ForwardedBatchHandlerTest {

    private static final Duration WAIT = Duration.ofSeconds(System.getenv("CI") == null ? 20 : 60);

    private RaftDriver driver;
    private ClusterState state;
    private final LongAdder refused = new LongAdder();
    private ForwardedBatchHandler handler;

    @BeforeEach
    void startLeader() {
        MemoryStorage storage = new MemoryStorage();
        RaftCore.bootstrap(storage, List.of("n1~a"));
        RaftCore core = new RaftCore(RaftConfig.defaults("n1~a"), storage, new SplittableRandom(1));
        state = new ClusterState();
        driver = new RaftDriver(core, storage, state, m -> { }, new RaftDriver.Settings(Duration.ofMillis(10), 1000, 1024),
                System::nanoTime);
        driver.start();
        await().atMost(WAIT).until(() -> driver.status().role() == Role.LEADER);
        handler = new ForwardedBatchHandler(driver, refused);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static byte[] put(String origin, long id, String key) {
        return CommandCodec.encode(new Proposal(origin, id,
                new Command.PutKey(key, "v".getBytes(StandardCharsets.UTF_8), null, false)));
    }

    private byte[] answer(byte[] payload) throws Exception {
        return handler.handle("n2", payload).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aBatchIsProposedTogetherAndAnsweredOneOutcomePerProposalInOrder() throws Exception {
        byte[] request = ForwardBatchCodec.encodeRequest(List.of(put("n2~b", 1, "k1"), put("n2~b", 2, "k2"), put("n2~b", 3, "k3")));
        List<ForwardOutcome> outcomes = ForwardBatchCodec.decodeAnswer(answer(request), 3);
        long previous = 0;
        for (ForwardOutcome o : outcomes) {
            CommandResultCodec.Applied applied = CommandResultCodec.decode(((ForwardOutcome.Applied) o).result());
            assertThat(applied.result()).isInstanceOf(CommandResult.Written.class);
            assertThat(applied.index()).isEqualTo(previous == 0 ? applied.index() : previous + 1);
            previous = applied.index();
        }
        assertThat(state.document("k3")).isNotNull();
        assertThat(driver.stats().proposals()).isEqualTo(3);
    }

    @Test
    void aMalformedBatchIsRefusedWithAClearErrorAndTheLeaderGoesOn() throws Exception {
        byte[] good = ForwardBatchCodec.encodeRequest(List.of(put("n2~b", 1, "k1")));
        byte[] wrongVersion = good.clone();
        wrongVersion[0] = 2;
        byte[] garbageProposal = ForwardBatchCodec.encodeRequest(List.of(new byte[] {1, 2, 3}));
        for (byte[] bad : List.of(wrongVersion, garbageProposal, new byte[0], new byte[] {1, 0, 0})) {
            CompletableFuture<byte[]> refusal = handler.handle("n2", bad).toCompletableFuture();
            assertThat(refusal).failsWithin(WAIT).withThrowableThat().havingRootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .withMessageContaining("malformed forwarded batch refused, nothing in it was proposed");
        }
        assertThat(refused.sum()).isEqualTo(4);
        assertThat(driver.stats().proposals()).isZero();
        assertThat(driver.isAlive()).isTrue();
        assertThat(ForwardBatchCodec.decodeAnswer(answer(good), 1).get(0)).isInstanceOf(ForwardOutcome.Applied.class);
    }

    @Test
    void aBatchCarryingAnotherNodesProposalIsRefusedWhole() {
        byte[] request = ForwardBatchCodec.encodeRequest(List.of(put("n2~b", 1, "mine"), put("n3~c", 1, "theirs")));
        assertThat(handler.handle("n2", request).toCompletableFuture()).failsWithin(WAIT).withThrowableThat()
                .havingRootCause().withMessageContaining("proposal 1 has origin n3~c, not the sending peer n2");
        assertThat(driver.stats().proposals()).isZero();
        assertThat(state.document("mine")).isNull();
    }

    @Test
    void aFollowerGetsPerProposalFailuresItCanActOn() throws Exception {
        driver.close();
        byte[] request = ForwardBatchCodec.encodeRequest(List.of(put("n2~b", 1, "k1"), put("n2~b", 2, "k2")));
        List<ForwardOutcome> outcomes = ForwardBatchCodec.decodeAnswer(answer(request), 2);
        assertThat(outcomes).allSatisfy(o -> assertThat(((ForwardOutcome.Failed) o).failure())
                .isEqualTo(ForwardOutcome.Failure.UNAVAILABLE));
        assertThat(((ForwardOutcome.Failed) outcomes.get(0)).toException("n1")).isInstanceOf(NodeUnavailableException.class)
                .hasMessageContaining("n1");
    }
}
