package dev.ratchet.bootstrap;

import java.util.Objects;
import java.util.function.Supplier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A running node's answer to the bootstrap question: it is a {@link BootstrapProbe.State#MEMBER} (a node
 * serves its API only once it has founded or joined a cluster). Unauthenticated like
 * {@code GET /api/v1/cluster}: it tells no more than that, and its answer is signed with the join token
 * so the asker can trust it.
 */
@RestController
class BootstrapStatusController {

    private final BootstrapProbe probe;
    private final String nodeId;
    private final Supplier<String> clusterId;

    BootstrapStatusController(BootstrapAnswers answers) {
        this.probe = answers.probe();
        this.nodeId = answers.nodeId();
        this.clusterId = answers.clusterId();
    }

    /** The facts the controller answers with; built by the application from the running node. */
    record BootstrapAnswers(BootstrapProbe probe, String nodeId, Supplier<String> clusterId) {
        BootstrapAnswers {
            Objects.requireNonNull(probe, "probe");
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(clusterId, "clusterId");
        }
    }

    @GetMapping(path = BootstrapProbe.PATH, produces = "application/json")
    ResponseEntity<BootstrapProbe.Answer> status(@RequestParam(name = "nonce", required = false) String nonce) {
        if (!BootstrapProbe.isWellFormedNonce(nonce)) {
            return ResponseEntity.badRequest().build();
        }
        String cluster = clusterId.get();
        return ResponseEntity.ok(probe.answer(nonce, nodeId, BootstrapProbe.State.MEMBER, cluster == null ? "" : cluster));
    }
}
