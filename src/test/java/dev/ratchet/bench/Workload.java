package dev.ratchet.bench;

/** What a load window's clients do; {@link #jsonName()} is the name in result rows (bench-schema.md). */
public enum Workload {
    /** PUT of a fresh value to {@code c<client>-<i mod 1000>}, sent to the leader. */
    WRITE("write", false),
    /**
     * The same writes spread over every node, as a Kubernetes client Service spreads them: two thirds
     * land on followers, which forward them.
     */
    WRITE_SPREAD("write-spread", true),
    /** GET with a read-index barrier, sent to the leader. */
    READ_LINEARIZABLE("read-linearizable", false),
    /** GET with a read-index barrier, spread over every node. */
    READ_LINEARIZABLE_SPREAD("read-linearizable-spread", true),
    /** GET {@code ?stale=true}, spread over every node. */
    READ_STALE("read-stale", true);

    private final String jsonName;
    private final boolean spread;

    Workload(String jsonName, boolean spread) {
        this.jsonName = jsonName;
        this.spread = spread;
    }

    public String jsonName() {
        return jsonName;
    }

    /** True if requests go to every member in turn; false if they all go to the leader. */
    public boolean spread() {
        return spread;
    }

    /** True for the workloads that read the preloaded keys. */
    public boolean reads() {
        return this == READ_LINEARIZABLE || this == READ_LINEARIZABLE_SPREAD || this == READ_STALE;
    }

    /** The workload with this result-row name; {@link IllegalArgumentException} naming the known ones if none. */
    public static Workload named(String name) {
        for (Workload w : values()) {
            if (w.jsonName.equals(name)) {
                return w;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Workload w : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(w.jsonName);
        }
        throw new IllegalArgumentException("workloads: unknown workload '" + name + "'; known: " + known);
    }
}
