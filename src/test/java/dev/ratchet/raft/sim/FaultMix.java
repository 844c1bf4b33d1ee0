package dev.ratchet.raft.sim;

import java.util.List;

/**
 * Which faults one simulated run injects. Message delays are drawn uniformly from {@code [minDelay,
 * maxDelay]} time units, so a wide range also reorders messages.
 */
record FaultMix(String name, double drop, double duplicate, int minDelay, int maxDelay, boolean partitions,
                boolean crashes, boolean transfers, boolean membership, boolean diskLoss) {

    static final FaultMix HEALED = new FaultMix("healed", 0, 0, 1, 5, false, false, false, false, false);

    static final List<FaultMix> ALL = List.of(
            new FaultMix("calm", 0, 0, 1, 5, false, false, false, false, false),
            new FaultMix("lossy", 0.05, 0.03, 1, 40, false, false, false, false, false),
            new FaultMix("partitions", 0.01, 0.01, 1, 10, true, false, false, false, false),
            new FaultMix("crashes", 0.01, 0.01, 1, 10, false, true, false, false, false),
            new FaultMix("transfers", 0.01, 0.0, 1, 10, false, false, true, false, false),
            new FaultMix("membership", 0.01, 0.01, 1, 10, false, false, false, true, false),
            new FaultMix("disk-loss", 0.01, 0.01, 1, 10, true, true, false, false, true),
            new FaultMix("chaos", 0.03, 0.02, 1, 30, true, true, true, true, true));

    static FaultMix named(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
    }

    boolean anyNemesis() {
        return partitions || crashes || transfers || membership || diskLoss;
    }
}
