package dev.ratchet.api;

import dev.ratchet.config.ApiProperties;
import dev.ratchet.state.ClusterState;
import dev.ratchet.state.Document;
import java.util.Map;

/**
 * The document quota check shared by single-key writes and transactions. Every node keeps every
 * document in memory, and a store that outgrows the heap takes all nodes down at once. Checked on the
 * node that takes the request against its own (possibly slightly stale) view: a guard rail, not an exact
 * figure, so the state machine itself stays deterministic.
 */
final class StoreQuota {

    private StoreQuota() {
    }

    /**
     * @param writes key to the size of the value about to be written there
     * @throws StoreFullException if the writes would take the documents past the quota
     */
    static void check(ClusterState state, ApiProperties properties, Map<String, Integer> writes) {
        long growth = 0;
        for (Map.Entry<String, Integer> w : writes.entrySet()) {
            Document current = state.document(w.getKey());
            growth += current == null ? w.getValue() + ApiProperties.DOCUMENT_OVERHEAD_BYTES
                    : w.getValue() - current.size();
        }
        long[] stats = state.documentStats();
        long used = stats[1] + stats[0] * ApiProperties.DOCUMENT_OVERHEAD_BYTES;
        long quota = properties.storeQuotaBytes();
        if (growth > 0 && used + growth > quota) {
            throw new StoreFullException("the documents would take " + (used + growth) + " bytes, over the store's quota of "
                    + quota + " bytes (ratchet.api.max-store-size); delete keys to make room or raise the quota and the heap");
        }
    }
}
