package dev.ratchet.admin;

import dev.ratchet.join.RaftIds;
import dev.ratchet.node.MemberHealth;
import dev.ratchet.node.RatchetNode;
import dev.ratchet.raft.Status;
import dev.ratchet.state.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code GET /actuator/consensus}: this node's view of the Raft group. Match index, last contact,
 * reachability and health of members are known only on the leader (followers report them as null).
 */
@Endpoint(id = "consensus")
public class ConsensusEndpoint {

    private final RatchetNode node;

    public ConsensusEndpoint(RatchetNode node) {
        this.node = node;
    }

    /**
     * @param lastContactMillis time since the leader last heard from the member, or null when unknown
     * @param reachable true when the member answered within the last election timeout, null when unknown
     * @param raftId the member's Raft id: its node id and incarnation (two share a node id while a node
     *        that lost its data directory replaces its old incarnation)
     * @param healthy the leader's verdict (answered within the election timeout), null off the leader
     * @param health why, and what autopilot does or waits for about it ({@code ratchet.autopilot.*})
     * @param silentMillis how long the leader has not heard from it, counted since this node leads (what
     *        autopilot's dead-after is measured against); null off the leader
     */
    public record MemberView(String id, String role, String peerAddress, String apiUrl, Long matchIndex,
            Long nextIndex, String replicationState, Long lastContactMillis, Boolean reachable, String raftId,
            Boolean healthy, String health, Long silentMillis) {
    }

    /** @param clusterId the cluster's id (in the replicated state, recorded in each data directory), null while unknown */
    public record ConsensusView(String nodeId, String clusterId, String role, long term, String leaderId, String leaderPeerAddress,
            String leaderApiUrl, long commitIndex, long appliedIndex, long snapshotIndex, long lastIndex,
            String leadTransferee, boolean live, boolean ready, List<MemberView> members) {
    }

    @ReadOperation
    public ConsensusView consensus() {
        Status s = node.driver().status();
        Map<String, Member> members = node.state().members();
        Member leader = s.leader() == null ? null : members.get(RaftIds.nodeId(s.leader()));
        long tickMillis = node.settings().heartbeatInterval().toMillis();
        TreeSet<String> ids = new TreeSet<>(s.conf().voters());
        ids.addAll(s.conf().learners());
        Map<String, MemberHealth> health = new HashMap<>();
        for (MemberHealth h : node.memberHealth()) {
            health.put(h.raftId(), h);
        }
        List<MemberView> views = new ArrayList<>();
        for (String id : ids) {
            Member m = members.get(RaftIds.nodeId(id));
            String role = s.conf().learners().contains(id) ? "learner" : "voter";
            Status.FollowerStatus f = s.progress().get(id);
            Long match = null;
            Long next = null;
            String state = null;
            Long contact = null;
            Boolean reachable = null;
            if (id.equals(s.id())) {
                match = s.lastIndex();
                contact = 0L;
                reachable = true;
            } else if (f != null) {
                match = f.match();
                next = f.next();
                state = f.state();
                contact = Duration.ofMillis(f.ticksSinceContact() * tickMillis).toMillis();
                reachable = f.heardWithin(node.settings().electionTicks());
            }
            MemberHealth h = health.get(id);
            views.add(new MemberView(RaftIds.nodeId(id), role, m == null ? null : m.peerAddress(),
                    m == null ? null : m.apiUrl(), match, next, state, contact, reachable, id,
                    h == null ? null : h.healthy(), h == null ? null : h.reason(),
                    h == null ? null : h.silentMillis()));
        }
        String clusterId = node.state().clusterId();
        if (clusterId.isEmpty()) {
            clusterId = node.identity().clusterId();
        }
        return new ConsensusView(RaftIds.nodeId(s.id()), clusterId, s.role().name(), s.term(), RaftIds.nodeId(s.leader()),
                leader == null ? null : leader.peerAddress(), leader == null ? null : leader.apiUrl(), s.commit(),
                node.driver().appliedIndex(), s.snapshotIndex(), s.lastIndex(),
                s.leadTransferee(), node.isLive(), node.isReady(), views);
    }
}
