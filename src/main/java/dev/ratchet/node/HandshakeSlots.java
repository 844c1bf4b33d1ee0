package dev.ratchet.node;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Admission for unauthenticated peer-port connections: at most {@code maxPending} at once, and at
 * most {@code maxPendingPerAddress} from one source address. A slot is taken before a handshake
 * starts and given back when it ends, either way. Thread-safe (one lock; every operation is a few
 * map operations).
 */
final class HandshakeSlots {

    /** Why a connection got no slot. */
    enum Refusal {
        /** All {@code maxPending} slots are taken. */
        ALL_TAKEN,
        /** Its source address holds {@code maxPendingPerAddress} already. */
        ADDRESS_FULL
    }

    private final int maxPending;
    private final int maxPendingPerAddress;
    private final Map<InetAddress, Integer> byAddress = new HashMap<>();
    private int pending;

    HandshakeSlots(int maxPending, int maxPendingPerAddress) {
        this.maxPending = maxPending;
        this.maxPendingPerAddress = maxPendingPerAddress;
    }

    /** Takes a slot for a connection from {@code source}, or says why there is none. */
    synchronized Optional<Refusal> tryTake(InetAddress source) {
        if (pending >= maxPending) {
            return Optional.of(Refusal.ALL_TAKEN);
        }
        int fromSource = byAddress.getOrDefault(source, 0);
        if (fromSource >= maxPendingPerAddress) {
            return Optional.of(Refusal.ADDRESS_FULL);
        }
        byAddress.put(source, fromSource + 1);
        pending++;
        return Optional.empty();
    }

    /** Gives back a slot taken for {@code source}. */
    synchronized void release(InetAddress source) {
        Integer fromSource = byAddress.get(source);
        if (fromSource == null) {
            throw new IllegalStateException("no handshake slot held for " + source);
        }
        if (fromSource == 1) {
            byAddress.remove(source);
        } else {
            byAddress.put(source, fromSource - 1);
        }
        pending--;
    }

    /** Slots taken now. */
    synchronized int pending() {
        return pending;
    }
}
