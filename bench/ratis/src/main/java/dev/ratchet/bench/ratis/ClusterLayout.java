package dev.ratchet.bench.ratis;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Who is in the benchmark's Raft group: a group id and peers {@code n0..n(N-1)} on 127.0.0.1.
 * Passed from the driver to each peer process as one command-line token, so both sides agree.
 * Immutable and thread-safe.
 *
 * @param groupId the Raft group's UUID
 * @param ports   the gRPC port of peer {@code n<i>} at index i
 */
public record ClusterLayout(UUID groupId, List<Integer> ports) {

    /** Only loopback: the benchmark never listens on or dials any other address. */
    public static final String HOST = "127.0.0.1";
    /** Largest cluster the driver starts. */
    public static final int MAX_NODES = 7;

    /** Checks the node count and ports. */
    public ClusterLayout {
        if (ports.isEmpty() || ports.size() > MAX_NODES) {
            throw new IllegalArgumentException("a cluster has 1.." + MAX_NODES + " nodes, got " + ports.size());
        }
        for (int port : ports) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("bad port " + port);
            }
        }
        ports = List.copyOf(ports);
    }

    /** Parses {@link #encode()}'s form: {@code <uuid>@<port>,<port>,...}. */
    public static ClusterLayout parse(String text) {
        String[] parts = text.split("@", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected <group-uuid>@<port>,<port>,..., got '" + text + "'");
        }
        List<Integer> ports = new ArrayList<>();
        for (String p : parts[1].split(",")) {
            try {
                ports.add(Integer.parseInt(p.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port '" + p + "' in '" + text + "'", e);
            }
        }
        return new ClusterLayout(UUID.fromString(parts[0]), ports);
    }

    /** The one-token form {@link #parse} reads back. */
    public String encode() {
        StringBuilder sb = new StringBuilder(groupId.toString()).append('@');
        for (int i = 0; i < ports.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(ports.get(i));
        }
        return sb.toString();
    }

    /** The id of peer {@code index}. */
    public static RaftPeerId peerId(int index) {
        return RaftPeerId.valueOf("n" + index);
    }

    /** The Ratis group with every peer. */
    public RaftGroup group() {
        List<RaftPeer> peers = new ArrayList<>();
        for (int i = 0; i < ports.size(); i++) {
            peers.add(RaftPeer.newBuilder().setId(peerId(i)).setAddress(HOST + ":" + ports.get(i)).build());
        }
        return RaftGroup.valueOf(RaftGroupId.valueOf(groupId), peers);
    }
}
