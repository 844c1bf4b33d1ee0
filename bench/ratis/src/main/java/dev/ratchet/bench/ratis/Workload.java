package dev.ratchet.bench.ratis;

import java.util.Arrays;

/** The schema's workloads, by their JSON names. */
public enum Workload {
    /** Closed-loop PUT of a fresh value to key {@code c<client>-<i mod 1000>}, through the leader. */
    WRITE("write"),
    /** {@code sendReadOnly} through the leader (ReadIndex when the peers run with LINEARIZABLE reads). */
    READ_LINEARIZABLE("read-linearizable"),
    /** {@code sendStaleRead} (min index 0) to a follower, or to the leader in a one-node cluster. */
    READ_STALE("read-stale");

    private final String jsonName;

    Workload(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The name used in arguments and in result rows. */
    public String jsonName() {
        return jsonName;
    }

    /** Parses a JSON name, or throws naming the accepted ones. */
    public static Workload parse(String name) {
        return Arrays.stream(values()).filter(w -> w.jsonName.equals(name.strip())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name + "'; expected one of "
                        + Arrays.stream(values()).map(Workload::jsonName).toList()));
    }
}
