package dev.ratchet.trust;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The two root ratchets of the seed's fix. Thread-safe: each method synchronizes on its instance.
 *
 * <p>Client (dialer), per peer: start with the newest root; after each failed handshake move to
 * the next older root, wrapping to the newest after the oldest. After a success stay on that root.
 *
 * <p>Server (acceptor), one for all peers: present the current root; after {@code linger}
 * consecutive failures move to the next older one; past the oldest wrap to the newest and report
 * the wrap so the caller logs one error.
 *
 * <p>The seed lingers {@code len(roots)} failures. That misses when the dialer holds more roots
 * than the acceptor: with 4 roots dialing 2, the dialer's phase repeats before it has shown every
 * root while the acceptor shows the common one, and the two never meet. Lingering
 * {@code max(len(roots), maxTrustRoots + 1)} failures, at least the longest list any node keeps,
 * lets the dialer show all its roots against each acceptor root, so they meet within
 * {@code (maxTrustRoots + 1)^2} attempts from a fresh start. When the list is full (the steady
 * state) this is exactly the seed's {@code len(roots)}.
 */
final class RootIteration {
    private RootIteration() {
    }

    /** Dialer-side positions, remembered per peer by root fingerprint. */
    static final class Client {
        /** Limit on remembered peers; the eldest is forgotten past it. */
        static final int MAX_PEERS = 1024;

        private final Map<String, String> rootByPeer = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                return size() > MAX_PEERS;
            }
        };

        /** Index of the root to present first to {@code peer}. */
        synchronized int start(String peer, TrustRoots roots) {
            String fingerprint = rootByPeer.get(peer);
            int index = fingerprint == null ? -1 : roots.indexOf(fingerprint);
            return Math.max(index, 0);
        }

        /** Remembers the root presented to {@code peer} next time. */
        synchronized void remember(String peer, String rootFingerprint) {
            rootByPeer.put(peer, rootFingerprint);
        }

        /** Forgets all peers, so every dialer starts again with the newest root. */
        synchronized void reset() {
            rootByPeer.clear();
        }
    }

    /** Acceptor-side position. */
    static final class Server {
        private int index;
        private int consecutiveFailures;

        /** Index of the root to present now. */
        synchronized int current(TrustRoots roots) {
            if (index >= roots.size()) {
                index = 0;
                consecutiveFailures = 0;
            }
            return index;
        }

        synchronized void onSuccess() {
            consecutiveFailures = 0;
        }

        /**
         * Counts a failure.
         *
         * @return true when the ratchet just wrapped from the oldest root back to the newest
         */
        synchronized boolean onFailure(TrustRoots roots, int linger) {
            consecutiveFailures++;
            if (consecutiveFailures < linger) {
                return false;
            }
            consecutiveFailures = 0;
            index++;
            if (index >= roots.size()) {
                index = 0;
                return true;
            }
            return false;
        }

        /** Moves past a root that cannot be used at all, without waiting for failures. */
        synchronized void skip(TrustRoots roots) {
            consecutiveFailures = 0;
            index = (index + 1) % roots.size();
        }

        synchronized void reset() {
            index = 0;
            consecutiveFailures = 0;
        }
    }
}
