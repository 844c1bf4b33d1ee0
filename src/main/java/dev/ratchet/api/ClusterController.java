package dev.ratchet.api;

import dev.ratchet.join.JoinProtocol;
import dev.ratchet.join.RaftIds;
import dev.ratchet.node.RatchetNode;
import dev.ratchet.raft.Status;
import dev.ratchet.state.Member;
import dev.ratchet.trust.TrustRootDescription;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The cluster as a client sees it ({@code GET /api/v1/cluster}) and the join endpoint a new node calls
 * with its token-authenticated request ({@code POST /api/v1/cluster/join/challenge}, then
 * {@code POST /api/v1/cluster/join}).
 */
@RestController
@RequestMapping("/api/v1/cluster")
class ClusterController {

    private final RatchetNode node;

    ClusterController(RatchetNode node) {
        this.node = node;
    }

    /** A short view of the cluster from this node. */
    record ClusterView(String nodeId, String role, long term, String leader, String leaderApiUrl, long commitIndex,
            long appliedIndex, List<String> voters, List<String> learners, Map<String, Member> members) {
    }

    @GetMapping(produces = MediaType.APPLICATION_JSON_VALUE)
    ClusterView view() {
        Status s = node.driver().status();
        Map<String, Member> members = node.state().members();
        // Node ids, not Raft ids (node id and incarnation): /actuator/consensus shows the incarnations.
        Member leader = s.leader() == null ? null : members.get(RaftIds.nodeId(s.leader()));
        return new ClusterView(RaftIds.nodeId(s.id()), s.role().name(), s.term(), RaftIds.nodeId(s.leader()),
                leader == null ? null : leader.apiUrl(), s.commit(), node.driver().appliedIndex(),
                s.conf().voters().stream().map(RaftIds::nodeId).sorted().toList(),
                s.conf().learners().stream().map(RaftIds::nodeId).sorted().toList(), members);
    }

    /**
     * The trust roots this node trusts now, newest first: certificates only (they travel in every
     * handshake anyway), never a key.
     */
    @GetMapping(path = "/roots", produces = MediaType.APPLICATION_JSON_VALUE)
    List<TrustRootDescription> roots() {
        return node.tls().roots().describe();
    }

    /** The first step of a join: a one-time challenge, good at this node only. */
    @PostMapping(path = "/join/challenge", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    JoinProtocol.Challenge challenge(@RequestBody(required = false) JoinProtocol.ChallengeRequest request) {
        return node.joinService().challenge(request);
    }

    @PostMapping(path = "/join", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    JoinProtocol.JoinResponse join(@RequestBody JoinProtocol.JoinRequest request) throws InterruptedException {
        return node.joinService().join(request);
    }
}
