package dev.ratchet.node;

import dev.ratchet.state.Member;
import dev.ratchet.transport.PeerAddressBook;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Where this node dials each peer: one address book fed from the configured initial peers, the member
 * list a join answer brings, and the replicated member records. Entries learnt from the member records
 * are dropped once the record goes; configured peers stay (they are how a node finds the cluster).
 *
 * <p>Thread-safe: written by the apply thread and the join path, read by the transport.
 */
final class PeerDirectory {

    private final String selfId;
    private final PeerAddressBook book = new PeerAddressBook();
    private final Set<String> fromMembers = new HashSet<>();

    PeerDirectory(String selfId, Map<String, String> initialPeers) {
        this.selfId = selfId;
        initialPeers.forEach(this::put);
    }

    PeerAddressBook book() {
        return book;
    }

    /** Adds or moves one peer; this node itself is never in its own book. */
    synchronized void put(String id, String hostPort) {
        if (!id.equals(selfId)) {
            book.put(id, address(hostPort));
        }
    }

    /** Adds the members a join answer listed. */
    synchronized void putAll(Collection<Member> members) {
        members.forEach(m -> put(m.id(), m.peerAddress()));
    }

    /** Follows the replicated member records: new and moved members are added, removed ones dropped. */
    synchronized void follow(Map<String, Member> members) {
        for (Member m : members.values()) {
            if (!m.id().equals(selfId)) {
                put(m.id(), m.peerAddress());
                fromMembers.add(m.id());
            }
        }
        fromMembers.removeIf(id -> {
            if (members.containsKey(id)) {
                return false;
            }
            book.remove(id);
            return true;
        });
    }

    /** True if {@code peerId} is someone this node may talk TLS with: in the book or a member. */
    boolean knows(String peerId, Map<String, Member> members) {
        return book.lookup(peerId).isPresent() || members.containsKey(peerId);
    }

    static InetSocketAddress address(String hostPort) {
        Member.HostPort parts = Member.parseHostPort(hostPort);
        // Unresolved: the name is looked up at every dial, so a pod that comes back with a new IP is found.
        return InetSocketAddress.createUnresolved(parts.host(), parts.port());
    }
}
