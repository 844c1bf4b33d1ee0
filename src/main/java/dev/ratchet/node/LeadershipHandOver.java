package dev.ratchet.node;

import dev.ratchet.join.RaftIds;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A graceful shutdown's last step on a leader: hand leadership to the most caught-up voter that was
 * heard from lately, so the cluster does not sit through an election timeout.
 *
 * <p>Called from the thread that shuts the node down (a shutdown hook or bean destruction); it blocks
 * that thread up to the given wait. It logs under {@link RatchetNode}'s logger, where these lines always were.
 */
final class LeadershipHandOver {

    private static final Logger log = LoggerFactory.getLogger(RatchetNode.class);

    private LeadershipHandOver() {
    }

    /**
     * Hands leadership away if {@code driver} leads, waiting at most {@code wait}. Never throws: a
     * transfer that does not finish is logged.
     *
     * @param driver the node's driver, or null before start
     */
    static void handOver(RaftDriver driver, int electionTicks, Duration wait) {
        if (driver == null || !driver.isAlive() || driver.status().role() != Role.LEADER) {
            return;
        }
        Status s = driver.status();
        String target = s.progress().entrySet().stream()
                .filter(e -> !e.getValue().learner() && e.getValue().heardWithin(electionTicks))
                .max((a, b) -> Long.compare(a.getValue().match(), b.getValue().match()))
                .map(Map.Entry::getKey).orElse(null);
        if (target == null) {
            return;
        }
        try {
            driver.transferLeadership(target).get(wait.toMillis(), TimeUnit.MILLISECONDS);
            log.info("handed leadership to {}", RaftIds.nodeId(target));
        } catch (Exception e) {
            log.warn("leadership hand-over to {} did not finish: {}", target, e.toString());
        }
    }
}
