package dev.ratchet.linearizability;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/** Writes the explanation of a partition that is not linearizable, from where its search got stuck. */
final class FailureReport {

    /** At most this many lines of each list, so a long history still yields a readable report. */
    private static final int MAX_LINES = 25;

    private FailureReport() {
    }

    static <S, I, O> String explain(Model<S, I, O> model, List<Op<I, O>> partition, PartitionSearch<S, I, O> search) {
        int[] order = search.deepestOrder();
        long completed = partition.stream().filter(op -> !op.isInfo()).count();
        StringBuilder out = new StringBuilder();
        out.append("not linearizable: ").append(model.describePartition(partition)).append(" (")
                .append(partition.size()).append(" operations, ").append(completed).append(" completed)\n");
        out.append("longest linearizable prefix found: ").append(order.length).append(" operations\n");
        S state = model.initial();
        int skipped = Math.max(0, order.length - MAX_LINES);
        if (skipped > 0) {
            out.append("  ... ").append(skipped).append(" earlier operations\n");
        }
        for (int k = 0; k < order.length; k++) {
            Op<I, O> op = partition.get(order[k]);
            state = model.step(state, op.input(), op.output()).orElseThrow(
                    () -> new IllegalStateException("model is not deterministic: replay of the prefix failed"));
            if (k >= skipped) {
                out.append("  ").append(describe(model, op)).append("   => ").append(model.describeState(state))
                        .append('\n');
            }
        }
        int stuck = search.deepestStuckOp();
        if (stuck >= 0) {
            Op<I, O> op = partition.get(stuck);
            out.append("then ").append(describe(model, op)).append(" had to take effect next (it returned at ")
                    .append(op.returnTime()).append("), but cannot from ").append(model.describeState(state))
                    .append('\n');
        }
        int[] candidates = search.deepestCandidates();
        if (candidates.length > 0) {
            out.append("operations that could take effect first instead, each leading to a dead end:\n");
            appendOps(out, model, partition, Arrays.stream(candidates).boxed().toList(), state);
        }
        BitSet placed = new BitSet(partition.size());
        Arrays.stream(order).forEach(placed::set);
        List<Integer> unplaced = IntStream.range(0, partition.size())
                .filter(i -> !placed.get(i) && !partition.get(i).isInfo()).boxed().toList();
        out.append("completed operations that could not be placed: ").append(unplaced.size()).append('\n');
        appendOps(out, model, partition, unplaced, null);
        return out.toString();
    }

    private static <S, I, O> void appendOps(StringBuilder out, Model<S, I, O> model, List<Op<I, O>> partition,
                                            List<Integer> indexes, S state) {
        for (int k = 0; k < Math.min(indexes.size(), MAX_LINES); k++) {
            Op<I, O> op = partition.get(indexes.get(k));
            out.append("  ").append(describe(model, op));
            if (state != null && model.step(state, op.input(), op.output()).isEmpty()) {
                out.append("   (not allowed in this state)");
            }
            out.append('\n');
        }
        if (indexes.size() > MAX_LINES) {
            out.append("  ... ").append(indexes.size() - MAX_LINES).append(" more\n");
        }
    }

    /** For example {@code #12 client 3 [100, 150] get(x) -> "a"}. */
    static <S, I, O> String describe(Model<S, I, O> model, Op<I, O> op) {
        String end = op.isInfo() ? "unknown" : Long.toString(op.returnTime());
        return "#" + op.id() + " client " + op.clientId() + " [" + op.invokeTime() + ", " + end + "] "
                + model.describeOperation(op.input(), op.output());
    }
}
