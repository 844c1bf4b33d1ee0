package dev.ratchet.node;

import dev.ratchet.join.JoinService;
import dev.ratchet.join.RaftIds;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Member;
import dev.ratchet.transport.PeerTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The join path's view of this node ({@link JoinService.Admission}): a joiner is admitted by the leader's
 * {@link MembershipMaintenance}; a follower forwards the request to the leader over the peer channel
 * ({@link PeerRequestTypes#ADMIT}) and relays its verdict.
 *
 * <p>Thread-safe; never blocks.
 */
final class NodeAdmission implements JoinService.Admission {

    private static final byte OK = 0;
    private static final byte CONFLICT = 1;
    private static final byte UNAVAILABLE = 2;
    private static final byte NOT_LEADER = 3;

    private final RaftDriver driver;
    private final ClusterState state;
    private final MembershipMaintenance maintenance;
    private final PeerTransport transport;
    private final Supplier<byte[]> localRoots;
    private final Duration timeout;

    NodeAdmission(RaftDriver driver, ClusterState state, MembershipMaintenance maintenance, PeerTransport transport,
            Supplier<byte[]> localRoots, Duration timeout) {
        this.driver = driver;
        this.state = state;
        this.maintenance = maintenance;
        this.transport = transport;
        this.localRoots = localRoots;
        this.timeout = timeout;
    }

    /** Starts answering admissions forwarded by followers. */
    void register() {
        transport.registerHandler(PeerRequestTypes.ADMIT, (peer, payload) -> {
            Request r = decode(payload);
            return maintenance.admit(r.member(), r.raftId()).handle((ok, e) -> e == null ? verdict(OK, "")
                    : verdict(e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e));
        });
    }

    @Override
    public boolean isMember(Member member, String incarnation) {
        return driver.status().conf().contains(RaftIds.of(member.id(), incarnation));
    }

    @Override
    public CompletableFuture<?> admit(Member member, String incarnation) {
        String raftId = RaftIds.of(member.id(), incarnation);
        Status status = driver.status();
        if (status.role() == Role.LEADER) {
            return maintenance.admit(member, raftId);
        }
        if (status.leader() == null) {
            return CompletableFuture.failedFuture(new NoLeaderException("no leader to admit " + member.id()
                    + "; retry shortly"));
        }
        return transport.call(RaftIds.nodeId(status.leader()), PeerRequestTypes.ADMIT, encode(new Request(member, raftId)),
                timeout).thenCompose(NodeAdmission::fromVerdict);
    }

    @Override
    public byte[] roots() {
        byte[] roots = state.roots();
        return roots.length == 0 ? localRoots.get() : roots;
    }

    @Override
    public List<Member> members() {
        return List.copyOf(state.members().values());
    }

    private record Request(Member member, String raftId) {
    }

    private static byte[] verdict(Throwable e) {
        if (e instanceof IncarnationConflictException) {
            return verdict(CONFLICT, e.getMessage());
        }
        if (e instanceof NotLeaderException) {
            return verdict(NOT_LEADER, e.getMessage());
        }
        return verdict(UNAVAILABLE, String.valueOf(e.getMessage()));
    }

    private static byte[] verdict(byte code, String message) {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[1 + Math.min(text.length, 2000)];
        out[0] = code;
        System.arraycopy(text, 0, out, 1, out.length - 1);
        return out;
    }

    private static CompletableFuture<Void> fromVerdict(byte[] answer) {
        if (answer.length == 0) {
            return CompletableFuture.failedFuture(new NodeUnavailableException("empty admission answer"));
        }
        String message = new String(answer, 1, answer.length - 1, StandardCharsets.UTF_8);
        return switch (answer[0]) {
            case OK -> CompletableFuture.completedFuture(null);
            case CONFLICT -> CompletableFuture.failedFuture(new IncarnationConflictException(message));
            case NOT_LEADER -> CompletableFuture.failedFuture(new NoLeaderException(
                    "leadership moved while admitting; retry (" + message + ")"));
            default -> CompletableFuture.failedFuture(new NodeUnavailableException(message));
        };
    }

    private static byte[] encode(Request r) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeUTF(r.member().id());
            out.writeUTF(r.member().peerAddress());
            out.writeUTF(r.member().apiUrl());
            out.writeUTF(r.raftId());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Request decode(byte[] payload) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
            Member m = new Member(in.readUTF(), in.readUTF(), in.readUTF());
            String raftId = in.readUTF();
            if (!RaftIds.nodeId(raftId).equals(m.id())) {
                throw new IllegalArgumentException("admission raft id " + raftId + " does not match " + m);
            }
            return new Request(m, raftId);
        } catch (IOException e) {
            throw new IllegalArgumentException("admission request does not decode: " + e.getMessage(), e);
        }
    }
}
