package dev.ratchet.transport;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/**
 * Where each peer listens, updated at runtime as members join and leave.
 *
 * <p>Thread-safe. Listeners are called synchronously on the updating thread after the change, with the
 * new address or {@code null} for a removal; they must not block.
 */
public final class PeerAddressBook {

    /** Upper bound on entries: clusters are 3..5 nodes, learners included this leaves ample room. */
    public static final int MAX_PEERS = 64;

    private final Map<String, InetSocketAddress> addresses = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<BiConsumer<String, InetSocketAddress>> listeners =
            new CopyOnWriteArrayList<>();

    /** Sets or replaces a peer's address. */
    public synchronized void put(String peerId, InetSocketAddress address) {
        Objects.requireNonNull(peerId, "peerId");
        Objects.requireNonNull(address, "address");
        if (!addresses.containsKey(peerId) && addresses.size() >= MAX_PEERS) {
            throw new IllegalStateException("address book is full (" + MAX_PEERS + " peers)");
        }
        InetSocketAddress previous = addresses.put(peerId, address);
        if (!address.equals(previous)) {
            listeners.forEach(listener -> listener.accept(peerId, address));
        }
    }

    /** Forgets a peer; unknown ids are ignored. */
    public synchronized void remove(String peerId) {
        if (addresses.remove(peerId) != null) {
            listeners.forEach(listener -> listener.accept(peerId, null));
        }
    }

    /** The peer's current address. */
    public Optional<InetSocketAddress> lookup(String peerId) {
        return Optional.ofNullable(addresses.get(peerId));
    }

    /** A copy of all entries. */
    public Map<String, InetSocketAddress> snapshot() {
        return Map.copyOf(addresses);
    }

    void addListener(BiConsumer<String, InetSocketAddress> listener) {
        listeners.add(listener);
    }

    void removeListener(BiConsumer<String, InetSocketAddress> listener) {
        listeners.remove(listener);
    }
}
