package dev.ratchet.node;

import dev.ratchet.join.JoinProtocol;
import dev.ratchet.join.JoinService;
import dev.ratchet.join.RaftIds;
import dev.ratchet.raft.NotLeaderException;
import dev.ratchet.raft.Role;
import dev.ratchet.raft.Status;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Command;
import dev.ratchet.state.CommandResult;
import dev.ratchet.state.JoinTokenRecord;
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
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The join path's view of this node ({@link JoinService.Admission}): a joiner is admitted by the leader's
 * {@link MembershipMaintenance}; a follower forwards the request to the leader over the peer channel
 * ({@link PeerRequestTypes#ADMIT}) and relays its verdict. The leader judges the joiner's token against
 * its own clock and counts a minted token's use through a replicated command before admitting, so the
 * count is exact whichever member took the request and however leadership moves.
 *
 * <p>Thread-safe; never blocks.
 */
final class NodeAdmission implements JoinService.Admission {

    private static final byte OK = 0;
    private static final byte CONFLICT = 1;
    private static final byte UNAVAILABLE = 2;
    private static final byte NOT_LEADER = 3;
    private static final byte REFUSED = 4;

    private final RaftDriver driver;
    private final ClusterState state;
    private final MembershipMaintenance maintenance;
    private final PeerTransport transport;
    private final Supplier<byte[]> localRoots;
    private final Duration timeout;
    private final Function<Command, CompletableFuture<CommandResult>> submit;
    private final LongSupplier millis;

    /**
     * @param submit proposes a command (this node is the leader when it is called) and completes once applied
     * @param millis the wall clock the leader judges token expiry with
     */
    NodeAdmission(RaftDriver driver, ClusterState state, MembershipMaintenance maintenance, PeerTransport transport,
            Supplier<byte[]> localRoots, Duration timeout, Function<Command, CompletableFuture<CommandResult>> submit,
            LongSupplier millis) {
        this.submit = submit;
        this.millis = millis;
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
            return admitAsLeader(r.member(), r.raftId(), r.tokenId()).handle((ok, e) -> e == null ? verdict(OK, "")
                    : verdict(e instanceof CompletionException c && c.getCause() != null ? c.getCause() : e));
        });
    }

    @Override
    public boolean isMember(Member member, String incarnation) {
        String raftId = RaftIds.of(member.id(), incarnation);
        return driver.status().conf().contains(raftId) && !state.isBarred(raftId);
    }

    @Override
    public CompletableFuture<?> admit(Member member, String incarnation, String tokenId) {
        String raftId = RaftIds.of(member.id(), incarnation);
        Status status = driver.status();
        if (status.role() == Role.LEADER) {
            return admitAsLeader(member, raftId, tokenId);
        }
        if (status.leader() == null) {
            return CompletableFuture.failedFuture(new NoLeaderException("no leader to admit " + member.id()
                    + "; retry shortly"));
        }
        return transport.call(RaftIds.nodeId(status.leader()), PeerRequestTypes.ADMIT, encode(new Request(member, raftId, tokenId)),
                timeout).thenCompose(NodeAdmission::fromVerdict);
    }

    @Override
    public JoinTokenRecord joinToken(String id) {
        return state.joinToken(id);
    }

    @Override
    public boolean bootstrapRetired() {
        return state.bootstrapTokenRetired();
    }

    /**
     * On the leader: the token's verdict first, then the admission. A joiner already in the configuration
     * under this incarnation (a retry whose answer was lost) uses nothing again.
     */
    private CompletableFuture<?> admitAsLeader(Member member, String raftId, String tokenId) {
        if (state.isBarred(raftId)) {
            return CompletableFuture.failedFuture(new JoinProtocol.JoinRefusedException(raftId + " was removed from"
                    + " the cluster by an admin; to join again, start with an empty data directory and a valid join token"));
        }
        if (driver.status().conf().contains(raftId)) {
            return maintenance.admit(member, raftId);
        }
        if (tokenId == null) {
            return state.bootstrapTokenRetired()
                    ? CompletableFuture.failedFuture(new JoinProtocol.JoinRefusedException("the bootstrap join token was retired"))
                    : maintenance.admit(member, raftId);
        }
        JoinTokenRecord record = state.joinToken(tokenId);
        String refusal = record == null ? "join token " + tokenId + " was revoked" : record.refusal(millis.getAsLong(), raftId);
        if (refusal != null) {
            return CompletableFuture.failedFuture(new JoinProtocol.JoinRefusedException(refusal));
        }
        return submit.apply(new Command.UseJoinToken(tokenId, millis.getAsLong(), raftId)).thenCompose(result -> {
            if (result instanceof CommandResult.Done) {
                return maintenance.admit(member, raftId);
            }
            String why = result instanceof CommandResult.Refused r ? r.reason() : "join token " + tokenId + " was revoked";
            return CompletableFuture.failedFuture(new JoinProtocol.JoinRefusedException(why));
        });
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

    /** {@code tokenId}: the minted token the joiner proved, or null for the bootstrap token. */
    private record Request(Member member, String raftId, String tokenId) {
    }

    private static byte[] verdict(Throwable e) {
        if (e instanceof IncarnationConflictException) {
            return verdict(CONFLICT, e.getMessage());
        }
        if (e instanceof NotLeaderException) {
            return verdict(NOT_LEADER, e.getMessage());
        }
        if (e instanceof JoinProtocol.JoinRefusedException) {
            return verdict(REFUSED, e.getMessage());
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
            case REFUSED -> CompletableFuture.failedFuture(new JoinProtocol.JoinRefusedException(message));
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
            // Last and optional: a leader of the previous version reads the fields before it and stops.
            if (r.tokenId() != null) {
                out.writeUTF(r.tokenId());
            }
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
            String tokenId = in.available() > 0 ? JoinTokenRecord.requireValidId(in.readUTF()) : null;
            return new Request(m, raftId, tokenId);
        } catch (IOException e) {
            throw new IllegalArgumentException("admission request does not decode: " + e.getMessage(), e);
        }
    }
}
