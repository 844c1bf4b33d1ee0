package dev.ratchet.api;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.config.RatchetProperties;
import dev.ratchet.node.NoLeaderException;
import dev.ratchet.node.NodeAdmin;
import dev.ratchet.node.RatchetNode;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.state.Member;
import dev.ratchet.trust.TrustRoot;
import dev.ratchet.trust.TrustRoots;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin actions under {@code /api/v1/admin} (admin only, see dev.ratchet.security): rotate the roots now, hand
 * leadership over, add and remove members, snapshot, back up. Actions only the leader can take are
 * forwarded to it when this node does not lead. Each call waits at most {@code ratchet.api.request-timeout}
 * (504 after: the outcome is unknown, check {@code /actuator/consensus} or {@code /actuator/roots}).
 */
@RestController
@RequestMapping("/api/v1/admin")
class AdminController {

    private final NodeAdmin admin;
    private final RatchetNode node;
    private final ApiProperties api;
    private final LeaderForwarder forwarder;

    AdminController(NodeAdmin admin, RatchetNode node, ApiProperties api, RatchetProperties properties) {
        this.admin = admin;
        this.node = node;
        this.api = api;
        this.forwarder = new LeaderForwarder(node, properties.adminToken(), api.requestTimeout());
    }

    record RotationResult(String nodeId, String newest, List<String> roots) {
    }

    record TransferResult(String leader) {
    }

    record MemberRequest(String id, String peerAddress, String apiUrl) {
    }

    record MemberResult(String id, String status) {
    }

    record SnapshotResult(String nodeId, long index) {
    }

    @PostMapping(path = "/roots/rotate", produces = MediaType.APPLICATION_JSON_VALUE)
    RotationResult rotate() throws Exception {
        TrustRoots roots = await(admin.rotateRootsNow());
        return new RotationResult(node.settings().nodeId(), roots.newest().shortId(),
                roots.roots().stream().map(TrustRoot::shortId).toList());
    }

    @PostMapping(path = "/leadership/transfer", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> transfer(@RequestParam(name = "to", required = false) String target,
            @RequestHeader(name = LeaderForwarder.FORWARDED_HEADER, required = false) String forwardedBy)
            throws Exception {
        if (target != null && !target.isBlank()) {
            Member.requireValidId(target);
        }
        if (!admin.isLeader()) {
            String query = target == null || target.isBlank() ? "" : "?to=" + target;
            return forwarder.forward("POST", "/api/v1/admin/leadership/transfer" + query, null, forwardedBy);
        }
        return ResponseEntity.ok(new TransferResult(await(admin.transferLeadership(target))));
    }

    @PostMapping(path = "/members", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> addMember(@RequestBody MemberRequest request,
            @RequestHeader(name = LeaderForwarder.FORWARDED_HEADER, required = false) String forwardedBy)
            throws Exception {
        if (request == null || request.id() == null || request.peerAddress() == null || request.apiUrl() == null) {
            throw new BadRequestException("a member needs id, peerAddress (host:port) and apiUrl");
        }
        Member member = new Member(request.id(), request.peerAddress(), request.apiUrl());
        RatchetProperties.PeerAddress.parse(member.id() + "@" + member.peerAddress());
        if (!admin.isLeader()) {
            String body = "{\"id\":\"" + member.id() + "\",\"peerAddress\":\"" + json(member.peerAddress())
                    + "\",\"apiUrl\":\"" + json(member.apiUrl()) + "\"}";
            return forwarder.forward("POST", "/api/v1/admin/members", body, forwardedBy);
        }
        await(admin.addMember(member));
        return ResponseEntity.ok(new MemberResult(member.id(), "learner (promoted to voter once caught up)"));
    }

    @DeleteMapping(path = "/members/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> removeMember(@PathVariable("id") String id,
            @RequestHeader(name = LeaderForwarder.FORWARDED_HEADER, required = false) String forwardedBy)
            throws Exception {
        Member.requireValidId(id);
        if (!admin.isLeader()) {
            return forwarder.forward("DELETE", "/api/v1/admin/members/" + id, null, forwardedBy);
        }
        await(admin.removeMember(id));
        return ResponseEntity.ok(new MemberResult(id, "removed"));
    }

    /** Promotes a learner to voter: beyond {@code ratchet.join.max-voters}, joiners wait for this. */
    @PostMapping(path = "/members/{id}/promote", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> promote(@PathVariable("id") String id,
            @RequestHeader(name = LeaderForwarder.FORWARDED_HEADER, required = false) String forwardedBy)
            throws Exception {
        Member.requireValidId(id);
        if (!admin.isLeader()) {
            return forwarder.forward("POST", "/api/v1/admin/members/" + id + "/promote", null, forwardedBy);
        }
        await(admin.promote(id));
        return ResponseEntity.ok(new MemberResult(id, "voter"));
    }

    @PostMapping(path = "/snapshot", produces = MediaType.APPLICATION_JSON_VALUE)
    SnapshotResult snapshot() throws Exception {
        return new SnapshotResult(node.settings().nodeId(), await(admin.snapshotNow()));
    }

    @GetMapping(path = "/backup", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    ResponseEntity<byte[]> backup() throws Exception {
        NodeAdmin.Backup backup = await(admin.backup());
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        "attachment; filename=\"ratchet-backup-" + backup.appliedIndex() + ".bin\"")
                .header("X-Ratchet-Applied-Index", Long.toString(backup.appliedIndex()))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).body(backup.image());
    }

    private <T> T await(CompletableFuture<T> future) throws InterruptedException, TimeoutException, IOException {
        try {
            return future.get(api.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof NotLeaderException n) {
                throw new NoLeaderException("leadership moved during the request (" + n.getMessage() + "); retry");
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }

    private static String json(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
