package dev.ratchet.linearizability;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A map of independent registers, keyed by string: the sequential specification of Ratchet's
 * key/value store. The state is an immutable map holding the present keys only.
 *
 * <p>Histories are partitioned per key, since operations on different keys never constrain each
 * other. Stateless and thread-safe; {@link #step} throws {@link IllegalArgumentException} if an output
 * does not fit its input's kind (e.g. a get answered with a cas result).
 */
public final class KvModel implements Model<Map<String, String>, KvInput, KvOutput> {

    @Override
    public Map<String, String> initial() {
        return Map.of();
    }

    @Override
    public Optional<Map<String, String>> step(Map<String, String> state, KvInput input, KvOutput output) {
        String current = state.get(input.key());
        if (input instanceof KvInput.Put put) {
            expectKind(input, output, KvOutput.Ack.class);
            return Optional.of(with(state, put.key(), put.value()));
        }
        if (input instanceof KvInput.Delete delete) {
            expectKind(input, output, KvOutput.Ack.class);
            return Optional.of(with(state, delete.key(), null));
        }
        if (input instanceof KvInput.Get) {
            expectKind(input, output, KvOutput.Read.class);
            boolean matches = output == null || Objects.equals(((KvOutput.Read) output).value(), current);
            return matches ? Optional.of(state) : Optional.empty();
        }
        KvInput.Cas cas = (KvInput.Cas) input;
        expectKind(input, output, KvOutput.CasResult.class);
        boolean swaps = Objects.equals(cas.expectedValue(), current);
        if (output == null) {
            // A failed cas has no effect, the same as never taking effect, which the checker tries anyway.
            return swaps ? Optional.of(with(state, cas.key(), cas.newValue())) : Optional.empty();
        }
        if (((KvOutput.CasResult) output).succeeded() != swaps) {
            return Optional.empty();
        }
        return Optional.of(swaps ? with(state, cas.key(), cas.newValue()) : state);
    }

    @Override
    public List<List<Op<KvInput, KvOutput>>> partition(List<Op<KvInput, KvOutput>> ops) {
        Map<String, List<Op<KvInput, KvOutput>>> byKey = new LinkedHashMap<>();
        for (Op<KvInput, KvOutput> op : ops) {
            byKey.computeIfAbsent(op.input().key(), key -> new ArrayList<>()).add(op);
        }
        return List.copyOf(byKey.values());
    }

    @Override
    public String describePartition(List<Op<KvInput, KvOutput>> partition) {
        return partition.isEmpty() ? "no key" : "key \"" + partition.get(0).input().key() + "\"";
    }

    @Override
    public String describeOperation(KvInput input, KvOutput output) {
        String call;
        if (input instanceof KvInput.Put put) {
            call = "put(" + put.key() + ", \"" + put.value() + "\")";
        } else if (input instanceof KvInput.Get get) {
            call = "get(" + get.key() + ")";
        } else if (input instanceof KvInput.Delete delete) {
            call = "delete(" + delete.key() + ")";
        } else {
            KvInput.Cas cas = (KvInput.Cas) input;
            String expected = cas.expectedValue() == null ? "absent" : "\"" + cas.expectedValue() + "\"";
            call = "cas(" + cas.key() + ", " + expected + " -> \"" + cas.newValue() + "\")";
        }
        return call + " -> " + (output == null ? "unknown" : output);
    }

    @Override
    public String describeState(Map<String, String> state) {
        return state.isEmpty() ? "{}" : state.toString();
    }

    private static Map<String, String> with(Map<String, String> state, String key, String value) {
        if (Objects.equals(state.get(key), value)) {
            return state;
        }
        Map<String, String> next = new HashMap<>(state);
        if (value == null) {
            next.remove(key);
        } else {
            next.put(key, value);
        }
        return Map.copyOf(next);
    }

    private static void expectKind(KvInput input, KvOutput output, Class<? extends KvOutput> kind) {
        if (output != null && !kind.isInstance(output)) {
            throw new IllegalArgumentException(input + " cannot be answered with " + output
                    + " (expected a " + kind.getSimpleName() + ")");
        }
    }
}
